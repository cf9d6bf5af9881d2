"""Demo trainings, so the training pages and the compliance report have something to show.

Called by ``manage.py load_demo`` after the demo appointments. Idempotent: a
training is found again by its organiser and title, and one that exists is
left alone (with its enrolments). Written through the services, so every row
is checked and audited like a user's.

- 贺兰: this year's county CIO centralised training; every 贺兰 CIO is enrolled
  and all but the last attended, so the compliance page (贺兰 第十六条) shows
  who is still missing it; a security training next month, enrolment open;
- 焦作: last autumn's city 教育信息化业务培训 with certificates (they count for
  焦作 第二条(二) with two years of informatization work); a county CIO training
  of 解放区 with CIO certificates;
- 乌海: the city's 校园长信息化领导力培训; 宜春学院: an online 信息化业务培训.

The demo schools where the nomination journey starts (解放区实验小学 ...) are
left out, so their candidates stay as the people demo wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from educio.appointments.demo import DEMO_SCHOOLS
from educio.appointments.models import Appointment, AppointmentStatus
from educio.orgs.demo_data import all_units
from educio.orgs.models import Organization
from educio.people.models import Person, Position
from educio.training import services
from educio.training.models import Attendance, TrainingEvent, TrainingKind, TrainingMode, TrainingResult


@dataclass(frozen=True)
class DemoTraining:
    organiser_ref: str
    title: str
    level: str
    kind: str
    starts_on: date
    days: int
    hours: str
    place: str = ""
    centralised: bool = True
    certificate_kind: str = ""
    description: str = ""
    audience: str = "cios"  # cios: active post holders; heads: school heads; staff: everyone of the subtree
    absent: int = 0  # the last ``absent`` enrolled did not come
    mode: str = TrainingMode.OFFLINE

    @property
    def ends_on(self) -> date:
        return self.starts_on + timedelta(days=self.days - 1)


def _trainings(today: date) -> list[DemoTraining]:
    year = today.year
    this_year = max(date(year, 1, 1), today - timedelta(days=40))
    return [
        DemoTraining(
            "hl",
            f"{year}年贺兰县中小学首席信息官集中培训",
            "county",
            TrainingKind.CIO,
            this_year,
            min(3, (today - this_year).days + 1),
            "24",
            place="贺兰县教师发展中心",
            description="信息化领导力;规划决策;系统开发与维护;数字教学资源管理;新技术与教学融合创新(贺兰 第十七条)",
            absent=1,
        ),
        DemoTraining(
            "hl",
            f"{year}年贺兰县教育系统网络安全专题培训",
            "county",
            TrainingKind.SECURITY,
            today + timedelta(days=30),
            1,
            "6",
            place="贺兰县教育体育局三楼会议室",
            audience="none",
        ),
        DemoTraining(
            "jz",
            f"{year - 1}年焦作市教育信息化业务培训",
            "city",
            TrainingKind.INFORMATIZATION,
            date(year - 1, 10, 15),
            3,
            "24",
            place="焦作市教育局电教馆",
            certificate_kind="informatization_training",
            audience="heads",
        ),
        DemoTraining(
            "jz.jiefang",
            f"{year}年解放区首席教育信息官(CIO)培训",
            "county",
            TrainingKind.CIO,
            this_year,
            min(2, (today - this_year).days + 1),
            "16",
            place="解放区教育局",
            certificate_kind="cio_training",
            audience="heads",
        ),
        DemoTraining(
            "wh",
            f"{year}年乌海市校(园)长信息化领导力培训",
            "city",
            TrainingKind.LEADERSHIP,
            this_year,
            min(2, (today - this_year).days + 1),
            "12",
            place="乌海市教育局",
            audience="heads",
        ),
        DemoTraining(
            "yc",
            f"{year}年宜春学院信息化业务培训(第一期)",
            "school",
            TrainingKind.INFORMATIZATION,
            this_year,
            1,
            "4",
            centralised=False,
            audience="staff",
            mode=TrainingMode.ONLINE,
        ),
    ]


def _units_by_ref() -> dict[str, Organization]:
    """The demo units by their ``ref``, found the way ``load_demo`` creates them (roots by name, then children)."""
    found: dict[str, Organization] = {}
    for unit, parent in all_units():
        if parent is None:
            org = Organization.objects.filter(depth=1, name=unit.name).first()
        else:
            above = found.get(parent.ref)
            org = (
                Organization.objects.filter(path__startswith=above.path, depth=above.depth + 1, name=unit.name).first()
                if above
                else None
            )
        if org is not None:
            found[unit.ref] = org
    return found


def _audience(spec: DemoTraining, organiser: Organization, excluded: set[int]) -> list[Person]:
    persons = Person.objects.filter(organization__path__startswith=organiser.path, is_active=True).exclude(
        organization__in=excluded
    )
    if spec.audience == "cios":
        holders = Appointment.objects.filter(status=AppointmentStatus.ACTIVE).values("person")
        persons = persons.filter(pk__in=holders)
    elif spec.audience == "heads":
        persons = persons.filter(positions__icontains=f'"{Position.SCHOOL_HEAD}"')
    elif spec.audience == "none":
        return []
    return list(persons.select_related("organization").order_by("organization__path", "name")[:30])


def _run(actor: Any, spec: DemoTraining, organiser: Organization, excluded: set[int], today: date) -> None:
    event = services.event_create(
        actor=actor,
        organiser=organiser,
        title=spec.title,
        level=spec.level,
        kind=spec.kind,
        centralised=spec.centralised,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        hours=spec.hours,
        mode=spec.mode,
        place=spec.place,
        description=spec.description,
        issues_certificate=bool(spec.certificate_kind),
        certificate_kind=spec.certificate_kind,
    )
    persons = _audience(spec, organiser, excluded)
    if not persons:
        return
    enrolled = services.enrol(actor=actor, event=event, persons=persons)
    if spec.starts_on > today:
        return
    present = len(enrolled) - spec.absent if len(enrolled) > spec.absent else len(enrolled)
    for index, enrollment in enumerate(enrolled):
        came = index < present
        services.enrollment_record(
            actor=actor,
            enrollment=enrollment,
            attendance=Attendance.ATTENDED if came else Attendance.ABSENT,
            result=TrainingResult.PASSED if came else "",
        )
    if spec.certificate_kind and spec.ends_on <= today:
        services.certificates_issue(actor=actor, event=event)


def load_demo_training(actor: Any) -> int:
    """Create the missing demo trainings; returns how many were created."""
    today = timezone.localdate()
    units = _units_by_ref()
    excluded = {units[ref].pk for ref in DEMO_SCHOOLS if ref in units}
    created = 0
    for spec in _trainings(today):
        organiser = units.get(spec.organiser_ref)
        if organiser is None:
            continue
        if TrainingEvent.objects.filter(organiser=organiser, title=spec.title).exists():
            continue
        _run(actor, spec, organiser, excluded, today)
        created += 1
    return created
