"""Shared rules of the services: limits, term arithmetic, permission checks, citations and row locks."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from educio.accounts.scope import covers
from educio.appointments.models import Nomination
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import Term
from educio.workflow.models import ProcessState

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PHOTO_BYTES = 5 * 1024 * 1024
JUSTIFICATION_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500
EDITABLE_STATES = (ProcessState.DRAFT, ProcessState.RETURNED)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _require(actor: Any, perm: str, organization: Organization, message: str) -> None:
    if not covers(actor, perm, organization):
        raise PermissionDenied(message)


def _cite(pack: LoadedPack, article_id: str | None) -> str:
    article = pack.article(article_id)
    return article.citation if article else (article_id or "")


def _term_limit_error(pack: LoadedPack, term: Term, person: Person, next_term: int) -> ValidationError | None:
    """The refusal (with the article) when ``next_term`` consecutive terms would break the pack's term rules."""
    article = _cite(pack, term.renewal_article or term.article)
    if next_term > 1 and not term.renewable:
        return ValidationError(
            _("%(article)s:该岗位任期届满不得连任,%(name)s不能再次连续聘任。")
            % {"article": article, "name": person.name}
        )
    if term.max_consecutive_terms and next_term > term.max_consecutive_terms:
        return ValidationError(
            _("%(article)s:连任不超过%(max)d届。%(name)s已连续任职%(held)d届,不能第%(next)d次连续聘任。")
            % {
                "article": article,
                "max": term.max_consecutive_terms,
                "name": person.name,
                "held": next_term - 1,
                "next": next_term,
            }
        )
    return None


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("organization", "process")
        .get(pk=nomination.pk)
    )
