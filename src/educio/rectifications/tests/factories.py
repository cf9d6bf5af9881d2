"""Rows for rectification tests, written with the ORM: orders in a given state, evidence, recognitions.

``result_of`` builds the stand-in for a published assessment result: any saved
model instance (the generic ``source`` accepts it) carrying the attributes
``order_open_for_result`` reads (``organization``, ``person``, ``cycle``).
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from educio.appointments.tests.factories import clerk, make_nomination
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.models import PolicyPack
from educio.rectifications.models import (
    Consequence,
    OrderStatus,
    Recognition,
    RecognitionKind,
    RectificationEvidence,
    RectificationOrder,
)

PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name: str = "整改照片.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def result_of(
    organization: Organization,
    *,
    cycle_id: str = "school_biennial_assessment",
    pack_id: str = "jiaozuo-2022",
    person: Person | None = None,
    organiser: Organization | None = None,
) -> Any:
    """A failing result of the pack cycle ``cycle_id`` for ``organization`` (a saved Nomination stands in)."""
    subject: Any = make_nomination(organization, person=person)
    pack = PolicyPack.objects.filter(pack_id=pack_id).latest("version")
    subject.person = person
    subject.cycle = SimpleNamespace(
        cycle_id=cycle_id,
        name="2026年学校信息化工作考核",
        pack_version_id=pack.pk,
        pack_ref=f"{pack.pack_id}@{pack.version}",
        organization=organiser,
    )
    return subject


_seq = iter(range(1, 1_000_000))


def make_order(
    organization: Organization,
    *,
    issuer: Organization | None = None,
    status: str = OrderStatus.OPEN,
    deadline: date | None = None,
    person: Person | None = None,
    consequence: str = Consequence.REVOKE_APPOINTMENT,
    findings: str = "未制定学校信息化发展规划。",
    article: str = "第四条(二)",
) -> RectificationOrder:
    """An order in ``status``, with the closing fields the constraints ask for."""
    seq = next(_seq)
    year = timezone.localdate().year
    final = status not in (OrderStatus.OPEN, OrderStatus.SUBMITTED)
    return RectificationOrder.objects.create(
        organization=organization,
        person=person,
        issuer=issuer or Organization.objects.get_parent(organization) or organization,
        number_year=year,
        number_seq=seq,
        number=f"整改〔{year}〕第{seq}号",
        findings=findings,
        article=article,
        deadline=deadline if deadline is not None else timezone.localdate() + timedelta(days=30),
        consequence=consequence,
        status=status,
        closed_at=timezone.now() if final else None,
        issued_by=clerk(),
    )


def add_evidence(order: RectificationOrder, name: str = "整改材料.pdf", by: Any = None) -> RectificationEvidence:
    return RectificationEvidence.objects.create(
        order=order, file=ContentFile(PDF, name="evidence.pdf"), original_name=name, uploaded_by=by or clerk()
    )


def make_recognition(
    organization: Organization,
    *,
    kind: str = RecognitionKind.COMMENDATION,
    person: Person | None = None,
    reason: str = "信息化应用成效显著。",
    issuer: Organization | None = None,
) -> Recognition:
    return Recognition.objects.create(
        kind=kind,
        organization=organization,
        person=person,
        reason=reason,
        date=timezone.localdate(),
        doc_number="测教〔2026〕8号",
        issuer=issuer or Organization.objects.get_parent(organization) or organization,
        created_by=clerk(),
    )
