"""Row adders and URLs of the query-count test (dashboard/tests/test_list_query_counts.py) for the training lists.

Each adds ``n`` rows in the tree's county, as the reader there sees them, and
returns "first|last" of what they display.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.orgs.models import Organization
from educio.orgs.tests.factories import SchoolFactory
from educio.people.models import Certificate, CertificateLevel
from educio.policies.models import PackAdoption
from educio.training.models import TrainingEvent, TrainingResult
from educio.training.tests.factories import attended, make_event

LISTED_EVENT = "计数用培训"


def listed_event(tree: Any) -> TrainingEvent:
    """The one training whose enrolments the detail page and the API list (made when its URL is built)."""
    found = TrainingEvent.objects.filter(organiser=tree.county, title=LISTED_EVENT).first()
    return found or make_event(tree.county, LISTED_EVENT, issues_certificate=True, certificate_kind="cio_training")


def add_training_events(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Trainings of the county, each with an attendee (so the enrolment counts are non-zero)."""
    for i in range(n):
        event = make_event(tree.county, f"{tag}培训{i:02d}", starts_on=timezone.localdate())
        attended(event, make_person(tree.school, f"{tag}学员{i:02d}"))
    return f"{tag}培训00|{tag}培训{n - 1:02d}"


def add_enrollments(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Passed enrolments of the listed training, half of them certified."""
    event = listed_event(tree)
    for i in range(n):
        enrollment = attended(event, make_person(tree.school, f"{tag}学员{i:02d}"), TrainingResult.PASSED)
        if i % 2 == 0:
            enrollment.certificate = Certificate.objects.create(
                person=enrollment.person,
                kind="cio_training",
                level=CertificateLevel.COUNTY,
                number=f"{tag}-{i:02d}",
                issued_on=event.ends_on,
                issuer=tree.county.name,
            )
            enrollment.save()
    return f"{tag}学员00|{tag}学员{n - 1:02d}"


def add_certificates(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Certificates of persons at the county's school, most given by a training."""
    event = listed_event(tree)
    for i in range(n):
        person = make_person(tree.school, f"{tag}持证人{i:02d}")
        certificate = Certificate.objects.create(
            person=person, kind="cio_training", level="county", issued_on=date(2024, 1, 1), issuer="局"
        )
        if i % 3:
            enrollment = attended(event, person, TrainingResult.PASSED)
            enrollment.certificate = certificate
            enrollment.save()
    return f"{tag}持证人00|{tag}持证人{n - 1:02d}"


def add_trained_cios(tree: Any, reader: Any, n: int, tag: str) -> str:
    """贺兰 in the county: schools with a CIO, every other one trained this year (rows of the compliance page)."""
    if not PackAdoption.objects.filter(organization=tree.county, superseded_at__isnull=True).exists():
        adopt(tree.county, "helan-2024")
    event = TrainingEvent.objects.filter(organiser=tree.county, title="计数用集中培训").first() or make_event(
        tree.county, "计数用集中培训", starts_on=date(timezone.localdate().year, 1, 1)
    )
    for i in range(n):
        school = Organization.objects.get(pk=SchoolFactory(parent=tree.county, name=f"{tag}学校{i:02d}").pk)
        appointment = make_appointment(school, person=make_person(school, f"{tag}首席信息官{i:02d}"))
        if i % 2 == 0:
            attended(event, appointment.person)
    return f"{tag}首席信息官00|{tag}首席信息官{n - 1:02d}"
