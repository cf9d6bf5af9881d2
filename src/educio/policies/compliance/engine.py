"""Evaluate units against the checkable rules of their effective packs, in bulk.

``evaluate_units`` takes a page of units and costs one query to find their
packs plus one per registered check that applies — never one per unit — so a
page of 20 schools and a page of 2,000 cost the same. ``rollup`` walks a
bureau's whole subtree in chunks and counts outcomes per rule.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from educio.orgs.models import Organization
from educio.policies.compliance.registry import STATUS_LABELS, Outcome, Status, check_for, pending_reason
from educio.policies.compliance.rules import CheckableRule, checkable_rules
from educio.policies.loaded import LoadedPack
from educio.policies.selectors import effective_packs


@dataclass(frozen=True)
class ComplianceFinding:
    unit: Organization
    pack: LoadedPack
    rule: CheckableRule
    status: Status
    explanation: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def article_number(self) -> str:
        return self.rule.article.number if self.rule.article else ""

    @property
    def article_text(self) -> str:
        return self.rule.article.text if self.rule.article else ""

    @property
    def full_explanation(self) -> str:
        return f"{self.article_number}:{self.explanation}" if self.article_number else self.explanation


def _run(rule: CheckableRule, units: Sequence[Organization]) -> Mapping[int, Outcome]:
    check = check_for(rule.kind)
    if check is None:
        reason = pending_reason(rule.kind)
        return {u.pk: Outcome.not_evaluable(reason) for u in units}
    outcomes = dict(check(rule, units))
    # A check that says nothing about a unit has not evaluated it: that is never a pass.
    for unit in units:
        outcomes.setdefault(unit.pk, Outcome.not_evaluable("该单位暂无评估结果"))
    return outcomes


def evaluate_units(
    units: Sequence[Organization],
    *,
    packs: Mapping[int, LoadedPack | None] | None = None,
    rule_ids: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
) -> list[ComplianceFinding]:
    """Findings for ``units`` (in their order, rules in pack order), optionally only some rules/statuses."""
    packs = effective_packs(units) if packs is None else packs
    by_pack: dict[int, tuple[LoadedPack, list[Organization]]] = {}
    for unit in units:
        pack = packs.get(unit.pk)
        if pack is not None:
            by_pack.setdefault(pack.pk, (pack, []))[1].append(unit)
    results: dict[int, list[ComplianceFinding]] = {u.pk: [] for u in units}
    for pack, members in by_pack.values():
        for rule in checkable_rules(pack):
            if rule_ids and rule.id not in rule_ids:
                continue
            applicable = [u for u in members if rule.applies_to(u.kind, u.bureau_level)]
            if not applicable:
                continue
            for unit_pk, outcome in _run(rule, applicable).items():
                if statuses and outcome.status not in statuses:
                    continue
                unit = next(u for u in applicable if u.pk == unit_pk)
                results[unit_pk].append(ComplianceFinding(unit, pack, rule, outcome.status, outcome.explanation))
    return [finding for unit in units for finding in results[unit.pk]]


def evaluate_unit(org: Organization) -> list[ComplianceFinding]:
    """Every finding for one unit under its effective pack (empty when no pack is in force)."""
    return evaluate_units([org])


def iter_chunks(queryset: QuerySet[Organization], size: int) -> Iterator[list[Organization]]:
    """Units by path, ``size`` at a time (keyset pagination, so large subtrees stream)."""
    last = ""
    while True:
        chunk = list(queryset.filter(path__gt=last).order_by("path")[:size])
        if chunk:
            yield chunk
        if len(chunk) < size:
            return
        last = chunk[-1].path


@dataclass
class RuleSummary:
    pack: LoadedPack
    rule: CheckableRule
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts[Status(status)]


def rollup(units: QuerySet[Organization], *, chunk_size: int = 500) -> list[RuleSummary]:
    """Outcome counts per rule over every unit of ``units`` (e.g. a bureau's subtree)."""
    summaries: dict[tuple[int, str], RuleSummary] = {}
    for chunk in iter_chunks(units, chunk_size):
        for finding in evaluate_units(chunk):
            key = (finding.pack.pk, finding.rule.id)
            summary = summaries.setdefault(key, RuleSummary(finding.pack, finding.rule))
            summary.counts[finding.status] += 1
    return list(summaries.values())


def rule_choices(packs: Iterable[LoadedPack]) -> list[tuple[str, str]]:
    """``(rule id, "rule id · title")`` for a filter, de-duplicated across packs."""
    seen: dict[str, str] = {}
    for pack in packs:
        for rule in checkable_rules(pack):
            seen.setdefault(rule.id, f"{rule.title}({rule.id})")
    return list(seen.items())
