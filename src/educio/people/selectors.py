"""Reads of person records, scoped to the user, and the facts the eligibility rules ask about a person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope
from educio.people.models import Certificate, Experience, Honour, Person, PlatformCertificateKind
from educio.people.values import admin_rank_of, floor_tenth, parse_date, party_member_of, title_level_of, years_between
from educio.policies.eligibility import Certificate as HeldCertificate
from educio.policies.eligibility import EligibilityResult, PersonFacts, evaluate
from educio.policies.loaded import LoadedPack

M = TypeVar("M", bound=Model)


def person_list(*, user: Any, perm: str = Perm.PERSON_VIEW) -> QuerySet[Person]:
    """Persons of the units in the user's scope for ``perm``, with their unit."""
    return filter_in_scope(Person.objects.select_related("organization"), user, perm, "organization")


def person_get(*, user: Any, pk: int, perm: str = Perm.PERSON_VIEW) -> Person:
    """The person, or 404 when their unit lies outside the user's scope for ``perm``."""
    return get_object_or_404(person_list(user=user, perm=perm), pk=pk)


def holding_position(queryset: QuerySet[Person], code: str) -> QuerySet[Person]:
    """Persons holding ``code``: the JSON list's text holds each code in quotes, on SQLite and PostgreSQL alike."""
    return queryset.filter(positions__icontains=f'"{code}"')


def with_record(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """Prefetch what the detail page and ``person_facts`` read, so a person costs a fixed number of queries."""
    return queryset.prefetch_related("experiences", "honours", "certificates")


def _part_get(model: type[M], *, user: Any, pk: int, perm: str) -> M:
    """An experience, honour or certificate of a person in scope, else 404."""
    queryset = filter_in_scope(
        model._default_manager.select_related("person__organization"), user, perm, "person__organization"
    )
    return get_object_or_404(queryset, pk=pk)


def experience_get(*, user: Any, pk: int, perm: str = Perm.PERSON_MANAGE) -> Experience:
    return _part_get(Experience, user=user, pk=pk, perm=perm)


def honour_get(*, user: Any, pk: int, perm: str = Perm.PERSON_MANAGE) -> Honour:
    return _part_get(Honour, user=user, pk=pk, perm=perm)


def certificate_get(*, user: Any, pk: int, perm: str = Perm.PERSON_VIEW) -> Certificate:
    return _part_get(Certificate, user=user, pk=pk, perm=perm)


# --- facts for the eligibility engine -------------------------------------------------------------


def years_by_kind(experiences: Iterable[Experience], today: date) -> dict[str, float]:
    """Years of work per experience kind; overlapping lines of the same kind count once, open lines until today."""
    spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for line in experiences:
        end = min(line.ended_on or today, today)
        if line.kind and line.started_on < end:
            spans[line.kind].append((line.started_on, end))
    years: dict[str, float] = {}
    for kind, intervals in spans.items():
        total = 0.0
        current_start, current_end = None, None
        for start, end in sorted(intervals):
            if current_end is not None and start <= current_end:
                current_end = max(current_end, end)
                continue
            if current_start is not None and current_end is not None:
                total += years_between(current_start, current_end)
            current_start, current_end = start, end
        if current_start is not None and current_end is not None:
            total += years_between(current_start, current_end)
        years[kind] = floor_tenth(total)
    return years


def _given(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Form values that say something: a blank field on the form leaves the record's value in force."""
    return {k: v for k, v in (overrides or {}).items() if v is not None and v != "" and v != []}


def _title_level(person: Person, given: Mapping[str, Any]) -> str | None:
    if "title_level" in given:
        return title_level_of(given["title_level"]) or None
    if "professional_title" in given:
        # The form asks for the title as printed (副教授); its grade is what the rules compare.
        return title_level_of(given["professional_title"]) or person.title_level or None
    return person.title_level or None


def _years_at_unit(joined: Any, today: date) -> float | None:
    try:
        joined_on = parse_date(joined)
    except ValueError:
        return None  # an unreadable date on a form being filled is "not known yet", not zero years
    if joined_on is None:
        return None
    return floor_tenth(years_between(joined_on, today))


def certificate_kinds(pack: LoadedPack | None) -> dict[str, str]:
    """Certificate kinds to offer and print: the pack's own names first, then the platform's training kinds.

    A pack that declares none (贺兰, 乌海) still has certificates from the platform's trainings, so a code such
    as ``cio_training`` is never shown raw.
    """
    declared = {c.id: c.label for c in pack.spec.training.certificate_kinds} if pack and pack.spec.training else {}
    platform = {str(k): str(label) for k, label in PlatformCertificateKind.choices}
    return {**declared, **{k: v for k, v in platform.items() if k not in declared}}


def person_facts(
    person: Person,
    *,
    today: date | None = None,
    attestations: Iterable[str] = (),
    overrides: Mapping[str, Any] | None = None,
) -> PersonFacts:
    """What the eligibility rules know about ``person``: their record, corrected by the nomination form.

    ``overrides`` are the form's values keyed by the person attribute each field
    maps to (``{"political_status": "中共党员", "joined_unit_on": "2015-09-01"}``);
    the filler may correct the record on the form, and the form is what is
    submitted. Prefetch ``certificates`` and ``experiences`` (``with_record``)
    when building facts for many persons.
    """
    today = today or timezone.localdate()
    given = _given(overrides)

    def value(attribute: str) -> Any:
        return given.get(attribute, getattr(person, attribute))

    rank = admin_rank_of(given["admin_rank"]) if "admin_rank" in given else person.admin_rank
    return PersonFacts(
        certificates=tuple(HeldCertificate(c.kind, c.level, c.issued_on) for c in person.certificates.all()),
        years_in_role=years_by_kind(person.experiences.all(), today),
        years_at_unit=_years_at_unit(value("joined_unit_on"), today),
        party_member=party_member_of(value("political_status")),
        title_level=_title_level(person, given),
        admin_rank=rank or None,
        positions=frozenset(value("positions") or ()),
        attestations=frozenset(attestations),
    )


@dataclass(frozen=True)
class PostEligibility:
    post_id: str
    post_name: str
    result: EligibilityResult


def person_eligibility(person: Person, pack: LoadedPack, *, today: date | None = None) -> list[PostEligibility]:
    """The person's record against each post the pack fills at units of the person's kind (from the record alone)."""
    facts = person_facts(person, today=today)
    posts = [p for p in pack.spec.posts if person.organization.kind in p.unit_kinds]
    return [PostEligibility(p.id, p.name, evaluate(pack, facts, post=p.id)) for p in posts]
