"""Helpers the appointment pages share: the signed-in account, file responses and the units and people in scope."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from educio.accounts.models import User
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, filter_in_scope
from educio.appointments import services
from educio.appointments.models import Nomination
from educio.orgs.models import Organization, OrgKind
from educio.people.models import Person

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Larger summary sheets are built by the task worker with a progress bar (documents.ExportJob).
SYNC_EXPORT_LIMIT = 2000


def account(request: HttpRequest) -> User:
    """The signed-in account (every view here requires a login)."""
    return cast(User, request.user)


def attachment_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def nominating_units(user: Any) -> QuerySet[Organization]:
    """Units where the user may nominate: schools and universities in their scope."""
    return filter_in_scope(
        Organization.objects.filter(kind__in=[OrgKind.SCHOOL, OrgKind.UNIVERSITY], is_active=True),
        user,
        Perm.NOMINATION_MANAGE,
    ).order_by("path")


def persons_of(user: Any, organization: Organization) -> QuerySet[Person]:
    return filter_in_scope(
        Person.objects.filter(is_active=True, organization__path__startswith=organization.path).select_related(
            "organization"
        ),
        user,
        Perm.PERSON_VIEW,
        "organization",
    ).order_by("organization__path", "name")


def _editable(user: Any, nomination: Nomination) -> bool:
    return (
        covers(user, Perm.NOMINATION_MANAGE, nomination.organization)
        and nomination.process is not None
        and nomination.process.state in services.EDITABLE_STATES
    )
