"""Rows for appointment tests, written directly (no services): packs adopted, people, nominations, appointments.

Each helper fills exactly the fields the model's constraints ask for the
state requested, so a test can build "an ended appointment" or "a nomination
in review" in one line.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from educio.accounts.models import User
from educio.appointments.models import Appointment, AppointmentStatus, EndReason, Nomination, NominationKind
from educio.appointments.services import add_years
from educio.orgs.models import Organization
from educio.people.models import Gender, Person
from educio.policies.models import PackAdoption, PolicyPack
from educio.policies.services import PACKS_DIR, seed_pack_load
from educio.workflow.models import CLOSED_PROCESS_STATES, ProcessKind, ProcessState, ReviewProcess


def clerk() -> User:
    """The account recorded as creator/issuer of factory rows."""
    user, _created = User.objects.get_or_create(username="factory_clerk", defaults={"full_name": "测试办理人"})
    return user


def seed_pack(pack_id: str) -> PolicyPack:
    """The seed pack ``pack_id`` (e.g. ``helan-2024``) stored as a platform pack."""
    seed_pack_load(PACKS_DIR / f"{pack_id}.yaml")
    return PolicyPack.objects.filter(pack_id=pack_id).latest("version")


def adopt(organization: Organization, pack_id: str) -> PackAdoption:
    """``organization`` adopts the seed pack for its subtree."""
    return PackAdoption.objects.create(organization=organization, pack=seed_pack(pack_id), adopted_by=clerk())


def make_person(organization: Organization, name: str = "张明", **fields: Any) -> Person:
    fields.setdefault("gender", Gender.MALE)
    return Person.objects.create(organization=organization, name=name, created_by=clerk(), **fields)


def make_appointment(
    organization: Organization,
    *,
    person: Person | None = None,
    post: str = "cio",
    status: str = AppointmentStatus.ACTIVE,
    starts_on: date | None = None,
    ends_on: date | None = None,
    term_number: int = 1,
    nomination: Nomination | None = None,
    predecessor: Appointment | None = None,
    end_reason: str = "",
    doc_number: str = "测教文〔2024〕1号",
) -> Appointment:
    """An appointment; an ended or revoked one records when and why, as the constraints require."""
    starts_on = starts_on or timezone.localdate() - timedelta(days=365)
    if ends_on is None and status == AppointmentStatus.ACTIVE:
        ends_on = add_years(starts_on, 3) - timedelta(days=1)
    ended: dict[str, Any] = {}
    if status != AppointmentStatus.ACTIVE:
        reason = end_reason or (EndReason.REVOKED if status == AppointmentStatus.REVOKED else EndReason.EXPIRED)
        ended = {"ended_on": ends_on or starts_on + timedelta(days=1), "end_reason": reason}
        if status == AppointmentStatus.REVOKED:
            ended["revocation_doc_number"] = "测教文〔2025〕9号"
    return Appointment.objects.create(
        organization=organization,
        post=post,
        post_name="首席信息官",
        person=person or make_person(organization),
        nomination=nomination,
        predecessor=predecessor,
        term_number=term_number,
        doc_number=doc_number,
        doc_date=starts_on,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        issued_by=clerk(),
        **ended,
    )


def make_process(organization: Organization, state: str = ProcessState.IN_REVIEW) -> ReviewProcess:
    """A review process in ``state``, with the submission and closing fields that state implies."""
    now = timezone.now()
    submitted = state != ProcessState.DRAFT
    return ReviewProcess.objects.create(
        kind=ProcessKind.NOMINATION,
        title=f"{organization.name}首席信息官推荐",
        organization=organization,
        chain_id="cio_nomination",
        chain_name="首席信息官推荐审核",
        chain_snapshot={"id": "cio_nomination", "name": "首席信息官推荐审核", "steps": []},
        state=state,
        round=1 if submitted else 0,
        created_by=clerk(),
        submitted_by=clerk() if submitted else None,
        submitted_at=now if submitted else None,
        last_submitted_at=now if submitted else None,
        closed_at=now if state in CLOSED_PROCESS_STATES else None,
    )


def make_nomination(
    organization: Organization,
    *,
    state: str = ProcessState.IN_REVIEW,
    person: Person | None = None,
    post: str = "cio",
    kind: str = NominationKind.NEW,
    replaces: Appointment | None = None,
    eligibility: dict[str, Any] | None = None,
) -> Nomination:
    """A nomination whose review is in ``state``; approved + ``make_appointment(nomination=)`` = appointed."""
    person = person or make_person(organization)
    return Nomination.objects.create(
        organization=organization,
        post=post,
        post_name="首席信息官",
        kind=kind,
        person=person,
        replaces=replaces,
        process=make_process(organization, state),
        pack_version_id=0,
        pack_ref="测试制度",
        form_snapshot={},
        data={"phone": "13900000000", "email": "someone@example.cn"},
        eligibility=eligibility if eligibility is not None else {"verdict": "pass", "label": "符合", "findings": []},
        created_by=clerk(),
    )
