"""Evaluate a pack's eligibility rules (任职条件) against what is known about a person.

The rules are data (``schema.rules``); this module only walks the tree. Each
node yields yes / no / unknown with a Chinese sentence; each top-level rule
becomes a finding that carries the rule id, the article it cites (number and
verbatim text) and an explanation such as::

    第二条(二):无CIO培训合格证,从事学校信息化管理工作1年,要求2年

A hard rule that fails blocks (verdict ``fail``); a soft rule that fails, or
any rule whose data is missing, warns (verdict ``warn``); a criterion only a
reviewer can judge (``manual``) is listed for the reviewer and never decides.
Later modules build ``PersonFacts`` from person records and certificates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from educio.policies.schema import Pack
from educio.policies.schema.base import (
    ADMIN_RANK_LABELS,
    ADMIN_RANK_RANK,
    TITLE_LEVEL_LABELS,
    TITLE_LEVEL_RANK,
    TRAINING_LEVEL_LABELS,
    TRAINING_LEVEL_RANK,
    AdminRank,
    Severity,
    TitleLevel,
    TrainingLevel,
)
from educio.policies.schema.rules import Condition, EligibilityRule


class Certificate(NamedTuple):
    kind: str
    level: str
    issued_on: date | None = None


@dataclass(frozen=True)
class PersonFacts:
    """What the rules may ask about a person. ``None`` means "not known" (a warning), never "no"."""

    certificates: tuple[Certificate, ...] = ()
    years_in_role: Mapping[str, float] = field(default_factory=dict)
    years_at_unit: float | None = None
    party_member: bool | None = None
    title_level: str | None = None
    admin_rank: str | None = None
    positions: frozenset[str] = frozenset()
    attestations: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Accept plain tuples and any iterables, as callers build facts from rows and forms.
        object.__setattr__(self, "certificates", tuple(Certificate(*c) for c in self.certificates))
        object.__setattr__(self, "positions", frozenset(self.positions))
        object.__setattr__(self, "attestations", frozenset(self.attestations))


class Verdict(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    WARN = "warn"
    FAIL = "fail"


class FindingStatus(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    WARN = "warn"
    FAIL = "fail"
    MANUAL = "manual"


STATUS_LABELS = {
    FindingStatus.PASS: "符合",
    FindingStatus.WARN: "需说明",
    FindingStatus.FAIL: "不符合",
    FindingStatus.MANUAL: "由审核人判断",
}
VERDICT_LABELS = {Verdict.PASS: "符合任职条件", Verdict.WARN: "基本符合,需书面说明", Verdict.FAIL: "不符合任职条件"}


@dataclass(frozen=True)
class Finding:
    rule_id: str
    label: str
    severity: str
    status: FindingStatus
    article_id: str
    article_number: str
    article_text: str
    detail: str

    @property
    def explanation(self) -> str:
        return f"{self.article_number}:{self.detail}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class EligibilityResult:
    verdict: Verdict
    findings: tuple[Finding, ...]

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.status == FindingStatus.FAIL]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.status == FindingStatus.WARN]

    def finding(self, rule_id: str) -> Finding | None:
        return next((f for f in self.findings if f.rule_id == rule_id), None)


# --- the vocabulary a pack gives its conditions -----------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    certificates: Mapping[str, str]
    experiences: Mapping[str, str]
    attestations: Mapping[str, str]
    positions: Mapping[str, str]

    @classmethod
    def of(cls, pack: Pack) -> Vocabulary:
        eligibility = pack.eligibility
        return cls(
            certificates={c.id: c.label for c in pack.training.certificate_kinds} if pack.training else {},
            experiences=dict(eligibility.experience_kinds) if eligibility else {},
            attestations=dict(eligibility.attestation_kinds) if eligibility else {},
            positions={h.position: h.label for p in pack.posts for h in p.holders},
        )


def _years(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Outcome:
    value: bool | None
    text: str
    manual: bool = False


def _has_certificate(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    spec = node.has_certificate
    assert spec is not None
    label = vocab.certificates.get(spec.kind, spec.kind)
    wanted = TRAINING_LEVEL_RANK[TrainingLevel(spec.min_level)]
    held = [c for c in facts.certificates if c.kind == spec.kind and c.level in TRAINING_LEVEL_RANK]
    if not held:
        return Outcome(False, f"无{label}")
    best = max(held, key=lambda c: TRAINING_LEVEL_RANK[TrainingLevel(c.level)])
    best_label = TRAINING_LEVEL_LABELS[TrainingLevel(best.level)]
    if TRAINING_LEVEL_RANK[TrainingLevel(best.level)] >= wanted:
        return Outcome(True, f"持有{label}({best_label})")
    min_label = TRAINING_LEVEL_LABELS[TrainingLevel(spec.min_level)]
    return Outcome(False, f"{label}为{best_label},要求{min_label}及以上")


def _years_in_role(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    spec = node.years_in_role
    assert spec is not None
    label = vocab.experiences.get(spec.kind, spec.kind)
    years = float(facts.years_in_role.get(spec.kind, 0))
    if years >= spec.min:
        return Outcome(True, f"{label}{_years(years)}年")
    return Outcome(False, f"{label}{_years(years)}年,要求{_years(spec.min)}年")


def _years_at_unit(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    spec = node.years_at_unit
    assert spec is not None
    if facts.years_at_unit is None:
        return Outcome(None, "未提供在本单位任职年限")
    years = float(facts.years_at_unit)
    if years >= spec.min:
        return Outcome(True, f"在本单位任职{_years(years)}年")
    return Outcome(False, f"在本单位任职{_years(years)}年,要求{_years(spec.min)}年")


def _party_member(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    if facts.party_member is None:
        return Outcome(None, "未提供政治面貌")
    text = "中共党员" if facts.party_member else "非中共党员"
    return Outcome(facts.party_member == node.party_member, text)


def _title_at_least(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    spec = node.title_at_least
    assert spec is not None
    wanted = TITLE_LEVEL_LABELS[TitleLevel(spec.level)]
    if facts.title_level not in TITLE_LEVEL_RANK:
        return Outcome(False, f"无专业技术职务,要求{wanted}")
    held = TitleLevel(facts.title_level)
    if TITLE_LEVEL_RANK[held] >= TITLE_LEVEL_RANK[TitleLevel(spec.level)]:
        return Outcome(True, f"专业技术职务为{TITLE_LEVEL_LABELS[held]}")
    return Outcome(False, f"专业技术职务为{TITLE_LEVEL_LABELS[held]},要求{wanted}及以上")


def _rank_at_least(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    spec = node.rank_at_least
    assert spec is not None
    wanted = ADMIN_RANK_LABELS[AdminRank(spec.rank)]
    if facts.admin_rank not in ADMIN_RANK_RANK:
        return Outcome(False, f"无管理职级,要求{wanted}及以上")
    held = AdminRank(facts.admin_rank)
    if ADMIN_RANK_RANK[held] >= ADMIN_RANK_RANK[AdminRank(spec.rank)]:
        return Outcome(True, f"管理职级为{ADMIN_RANK_LABELS[held]}")
    return Outcome(False, f"管理职级为{ADMIN_RANK_LABELS[held]},要求{wanted}及以上")


def _holds_position(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    spec = node.holds_position
    assert spec is not None
    held = [p for p in spec.positions if p in facts.positions]
    if held:
        return Outcome(True, f"现任{vocab.positions.get(held[0], held[0])}")
    wanted = "或".join(vocab.positions.get(p, p) for p in spec.positions)
    return Outcome(False, f"未担任{wanted}")


def _attested(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    spec = node.attested
    assert spec is not None
    label = vocab.attestations.get(spec.kind, spec.kind)
    if spec.kind in facts.attestations:
        return Outcome(True, f"已提供“{label}”的证明")
    return Outcome(False, f"缺少“{label}”的证明")


def _manual(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    return Outcome(None, f"需审核人判断:{node.manual}", manual=True)


def _join(outcomes: Iterable[Outcome]) -> str:
    return ",".join(o.text for o in outcomes)


def evaluate_condition(node: Condition, facts: PersonFacts, vocab: Vocabulary) -> Outcome:
    """Three-valued evaluation: ``all_of`` fails on any no, ``any_of`` passes on any yes, unknowns stay unknown."""
    operator = node.operator
    if operator in ("all_of", "any_of"):
        results = [evaluate_condition(child, facts, vocab) for child in node.children]
        decisive = operator == "any_of"  # the value that settles the node at once
        hits = [r for r in results if r.value is decisive]
        if hits:
            return Outcome(decisive, _join(hits[:1] if decisive else hits))
        unknown = [r for r in results if r.value is None]
        if unknown:
            return Outcome(None, _join(unknown), manual=all(r.manual for r in unknown))
        return Outcome(not decisive, _join(results))
    if operator == "not":
        assert node.not_ is not None
        inner = evaluate_condition(node.not_, facts, vocab)
        if inner.value is None:
            return inner
        return Outcome(not inner.value, inner.text if not inner.value else f"{inner.text}(该情形不符合要求)")
    return LEAVES[operator](node, facts, vocab)


LEAVES = {
    "has_certificate": _has_certificate,
    "years_in_role": _years_in_role,
    "years_at_unit": _years_at_unit,
    "party_member": _party_member,
    "title_at_least": _title_at_least,
    "rank_at_least": _rank_at_least,
    "holds_position": _holds_position,
    "attested": _attested,
    "manual": _manual,
}


def rules_for(pack: Pack, post: str | None = None) -> list[EligibilityRule]:
    """The pack's rules for ``post`` (rules without ``posts`` apply to every post)."""
    if pack.eligibility is None:
        return []
    return [r for r in pack.eligibility.rules if post is None or r.posts is None or post in r.posts]


def _finding(rule: EligibilityRule, outcome: Outcome, pack: Pack) -> Finding:
    if outcome.value is True:
        status = FindingStatus.PASS
    elif outcome.value is False:
        status = FindingStatus.FAIL if rule.severity == Severity.HARD else FindingStatus.WARN
    else:
        status = FindingStatus.MANUAL if outcome.manual else FindingStatus.WARN
    article = pack.article(rule.article)
    return Finding(
        rule_id=rule.id,
        label=rule.label,
        severity=str(rule.severity),
        status=status,
        article_id=rule.article,
        article_number=article.number if article else rule.article,
        article_text=article.text if article else "",
        detail=outcome.text,
    )


def evaluate(pack: Any, facts: PersonFacts, *, post: str | None = None) -> EligibilityResult:
    """Evaluate every eligibility rule of ``pack`` (a ``Pack`` or a ``LoadedPack``) for ``post``.

    A pack without an eligibility section has no conditions: the verdict is ``pass``.
    """
    spec: Pack = getattr(pack, "spec", pack)
    vocab = Vocabulary.of(spec)
    findings = tuple(_finding(rule, evaluate_condition(rule, facts, vocab), spec) for rule in rules_for(spec, post))
    statuses = {f.status for f in findings}
    if FindingStatus.FAIL in statuses:
        verdict = Verdict.FAIL
    elif FindingStatus.WARN in statuses:
        verdict = Verdict.WARN
    else:
        verdict = Verdict.PASS
    return EligibilityResult(verdict=verdict, findings=findings)
