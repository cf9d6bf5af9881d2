"""Demo appointments and nomination windows, so the coverage dashboard and reminders have something to show.

Called by ``manage.py load_demo`` after the packs are adopted. Idempotent: a
unit that already has an appointment is left alone, and a window is found
again by its title. The demo school of each jurisdiction (解放区实验小学,
贺兰县第一中学 ...) and 宜春学院 are left without a CIO, so that the nomination
journey can be walked from the start.

- 焦作: two schools in three have the CIO appointed by 焦教文〔2022〕85号 (no term length in the document);
- 贺兰: half the schools have a CIO with a three-year term (贺兰 第五条), a few ending within 90 days;
- a window per bureau, relative to today, so a fresh demo always has an open call.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from educio.appointments.models import Appointment, NominationWindow
from educio.audit.services import audited
from educio.orgs.demo_data import JURISDICTIONS
from educio.orgs.models import Organization, OrgKind
from educio.people.models import Person, Position
from educio.policies.selectors import effective_packs

DEMO_SCHOOLS = {"jz.jiefang.s1", "hl.s1", "wh.haibowan.s1"}


def _head(persons: list[Person]) -> Person | None:
    heads = [p for p in persons if Position.SCHOOL_HEAD in (p.positions or [])]
    return heads[0] if heads else (persons[0] if persons else None)


def _term(jurisdiction: str, index: int, today: date) -> tuple[str, date, date, date | None]:
    """(document number, document date, start, end) of the demo appointment of the ``index``-th school."""
    if jurisdiction == "jz":
        return "焦教文〔2022〕85号", date(2022, 11, 15), date(2022, 12, 1), None
    if index % 4 == 0:  # ending soon: shows in "terms expiring in 90 days" and gets reminders
        ends = today + timedelta(days=45 + index)
        start = ends.replace(year=ends.year - 3) + timedelta(days=1)
        return "贺教体发〔2023〕12号", start - timedelta(days=10), start, ends
    return "贺教体发〔2024〕30号", date(2024, 8, 20), date(2024, 9, 1), date(2027, 8, 31)


def _appointed(index: int, jurisdiction: str) -> bool:
    return index % 3 != 0 if jurisdiction == "jz" else index % 2 == 0


def load_demo_appointments(actor: Any, by_ref: dict[str, Organization]) -> int:
    """Appoint the head of part of the demo schools; returns how many appointments were created."""
    today = timezone.localdate()
    demo_units = {by_ref[ref].pk for ref in DEMO_SCHOOLS if ref in by_ref}
    created = 0
    with audited(actor):
        for jurisdiction in JURISDICTIONS:
            root = by_ref[jurisdiction.root.ref]
            schools = list(
                Organization.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL).order_by("path")
            )
            packs = effective_packs(schools)
            already = set(
                Appointment.objects.filter(organization__in=schools).values_list("organization_id", flat=True)
            )
            persons: dict[int, list[Person]] = {}
            for person in Person.objects.filter(organization__in=schools).order_by("pk"):
                persons.setdefault(person.organization_id, []).append(person)
            for index, school in enumerate(schools):
                pack = packs.get(school.pk)
                posts = [p for p in pack.spec.posts if school.kind in p.unit_kinds] if pack else []
                head = _head(persons.get(school.pk, []))
                if not posts or head is None or school.pk in demo_units or school.pk in already:
                    continue
                if not _appointed(index, jurisdiction.prefix):
                    continue
                doc_number, doc_date, starts_on, ends_on = _term(jurisdiction.prefix, index, today)
                Appointment.objects.create(
                    organization=school,
                    post=posts[0].id,
                    post_name=posts[0].name,
                    person=head,
                    doc_number=doc_number,
                    doc_date=doc_date,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    pack_ref=f"{pack.pack_id}@{pack.version}" if pack else "",
                    issued_by=actor,
                )
                created += 1
        _windows(actor, by_ref, today)
    return created


def _windows(actor: Any, by_ref: dict[str, Organization], today: date) -> None:
    calls = [
        ("jz", "2026年度首席教育信息官推荐", 45),
        ("hl", "2026年度中小学校首席信息官推荐", 30),
    ]
    for ref, title, days in calls:
        bureau = by_ref.get(ref)
        if bureau is None or NominationWindow.objects.filter(organization=bureau, title=title).exists():
            continue
        NominationWindow.objects.create(
            organization=bureau,
            post="cio",
            title=title,
            opens_on=today - timedelta(days=7),
            deadline=today + timedelta(days=days),
            note="请各学校按任职条件认真筛选人选,按时报送推荐表和汇总表。",
            created_by=actor,
        )
