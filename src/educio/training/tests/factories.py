"""Rows for training tests, written directly (no services): trainings and enrolments in any state."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from educio.appointments.tests.factories import clerk, make_person
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.training.models import Attendance, Enrollment, TrainingEvent, TrainingKind, TrainingMode
from educio.training.services import organiser_level


def make_event(
    organiser: Organization,
    title: str = "首席信息官专题培训",
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    hours: str = "16",
    **fields: Any,
) -> TrainingEvent:
    """A centralised offline training of the organiser's own level that ended a month ago (unless told)."""
    starts_on = starts_on or timezone.localdate() - timedelta(days=30)
    fields.setdefault("level", organiser_level(organiser))
    fields.setdefault("kind", TrainingKind.CIO)
    fields.setdefault("mode", TrainingMode.OFFLINE)
    fields.setdefault("place", "教育局会议室")
    return TrainingEvent.objects.create(
        organiser=organiser,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on or starts_on + timedelta(days=1),
        hours=Decimal(hours),
        created_by=fields.pop("created_by", None) or clerk(),
        **fields,
    )


def make_enrollment(
    event: TrainingEvent,
    person: Person | None = None,
    *,
    attendance: str = Attendance.ENROLLED,
    result: str = "",
    hours_attended: str | None = None,
) -> Enrollment:
    person = person or make_person(event.organiser)
    hours = Decimal(hours_attended) if hours_attended is not None else None
    return Enrollment.objects.create(
        event=event,
        person=person,
        enrolled_by=clerk(),
        attendance=attendance,
        result=result,
        hours_attended=hours,
    )


def attended(event: TrainingEvent, person: Person, result: str = "") -> Enrollment:
    return make_enrollment(event, person, attendance=Attendance.ATTENDED, result=result)
