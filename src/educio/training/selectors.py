"""Reads of trainings, enrolments and certificates, always scoped to the requesting user.

A training is visible to the units in the user's scope that organise it and
to every unit below its organiser (a city's training is its counties' and
schools' training too). Its enrolments are all visible to those who cover
the organiser; a unit below sees only its own people's enrolments.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from educio.accounts.roles import Perm
from educio.accounts.scope import covers, filter_in_scope, is_global, scope_paths, scope_q
from educio.appointments.models import Appointment, AppointmentStatus
from educio.orgs.models import Organization
from educio.people.models import Certificate, Person
from educio.people.selectors import certificate_kinds, person_list
from educio.policies.selectors import ancestor_paths, effective_pack
from educio.training.models import Attendance, Enrollment, TrainingEvent

VIEW = Perm.TRAINING_VIEW
MANAGE = Perm.TRAINING_MANAGE


def _visible_q(user: Any, perm: str) -> Q:
    """Events organised in the user's scope or by a unit above it."""
    if is_global(user, perm):
        return Q()
    paths = scope_paths(user, perm)
    if not paths:
        return Q(pk__in=[])
    above = sorted({a for path in paths for a in ancestor_paths(path, include_self=False)})
    return scope_q(user, perm, "organiser__path") | Q(organiser__path__in=above)


def event_list(*, user: Any, perm: str = VIEW) -> QuerySet[TrainingEvent]:
    """Trainings the user may see, with how many are enrolled and how many attended."""
    return (
        TrainingEvent.objects.filter(_visible_q(user, perm))
        .select_related("organiser")
        .annotate(
            enrolled_count=Count("enrollments"),
            attended_count=Count("enrollments", filter=Q(enrollments__attendance=Attendance.ATTENDED)),
        )
    )


def event_get(*, user: Any, pk: int, perm: str = VIEW) -> TrainingEvent:
    """A training the user may see (organised in the scope or above it), else 404."""
    return get_object_or_404(event_list(user=user, perm=perm), pk=pk)


def managed_event_get(*, user: Any, pk: int) -> TrainingEvent:
    """A training organised by a unit the user manages trainings of (not one from above), else 404."""
    queryset = filter_in_scope(TrainingEvent.objects.select_related("organiser"), user, MANAGE, "organiser")
    return get_object_or_404(queryset, pk=pk)


def enrollment_list(*, user: Any, event: TrainingEvent, perm: str = VIEW) -> QuerySet[Enrollment]:
    """The enrolments of ``event`` the user may see: all for the organiser's side, else their own people's."""
    queryset = Enrollment.objects.filter(event=event).select_related("person__organization", "certificate")
    if covers(user, perm, event.organiser):
        return queryset
    return filter_in_scope(queryset, user, perm, "person__organization")


def enrollment_get(*, user: Any, pk: int, perm: str = MANAGE) -> Enrollment:
    """An enrolment whose event's organiser or whose person lies in the user's scope, else 404."""
    queryset = Enrollment.objects.select_related("event__organiser", "person__organization", "certificate")
    visible = scope_q(user, perm, "event__organiser__path") | scope_q(user, perm, "person__organization__path")
    return get_object_or_404(queryset.filter(visible), pk=pk)


def enrol_candidates(
    *, user: Any, event: TrainingEvent, query: str = "", holders_only: bool = False, limit: int = 100
) -> list[Person]:
    """Active persons the user may enrol: in their scope, inside the organiser's subtree, not yet enrolled."""
    persons = (
        person_list(user=user, perm=MANAGE)
        .filter(organization__path__startswith=event.organiser.path, is_active=True)
        .exclude(Exists(Enrollment.objects.filter(event=event, person=OuterRef("pk"))))
    )
    query = query.strip()
    if query:
        persons = persons.filter(Q(name__icontains=query) | Q(organization__name__icontains=query))
    if holders_only:
        active = Appointment.objects.filter(person=OuterRef("pk"), status=AppointmentStatus.ACTIVE)
        persons = persons.filter(Exists(active))
    return list(persons.order_by("organization__path", "name", "pk")[:limit])


def certificate_kinds_for(organiser: Organization) -> dict[str, str]:
    """The certificate kinds a training of ``organiser`` may give: its pack's, then the platform's."""
    return certificate_kinds(effective_pack(organiser))


def certificate_list(*, user: Any, perm: str = VIEW) -> QuerySet[Certificate]:
    """Certificates of the persons in the user's scope, with the training that gave them (if any)."""
    queryset = Certificate.objects.select_related("person__organization", "enrollment__event")
    return filter_in_scope(queryset, user, perm, "person__organization")


def trainings_of(person: Person, *, user: Any = None) -> list[Enrollment] | None:
    """The person's training record, newest first; None when ``user`` may not see trainings of the person's unit."""
    if user is not None and not covers(user, VIEW, person.organization):
        return None
    queryset = Enrollment.objects.filter(person=person).select_related("event__organiser", "certificate")
    return list(queryset.order_by("-event__starts_on", "-pk"))


def organiser_choices(*, user: Any, limit: int = 2000) -> list[Organization]:
    """Units the user may organise trainings for: the bureaus and universities they manage, and their own top units."""
    paths = scope_paths(user, MANAGE)
    if not paths:
        return []
    containers = Q(kind__in=["bureau", "university"], is_active=True)
    own = Q(depth=1) if paths == [""] else Q(path__in=paths)
    units = filter_in_scope(Organization.objects.all(), user, MANAGE).filter(containers | own)
    return list(units.order_by("path")[:limit])
