"""The checkable rules of a pack: one ``CheckableRule`` per requirement a unit can be held to.

Each rule has a stable id (``training.annual_centralised_training``), a
``kind`` that names the check evaluating it (see ``registry``), the article it
cites, and the kinds of unit it applies to. The list is derived from the pack's
sections, so a new pack brings its rules with it and no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from educio.policies.loaded import LoadedPack
from educio.policies.schema import Article, Pack
from educio.policies.schema.base import PERIOD_LABELS, UNIT_KIND_LABELS, Period, UnitKind
from educio.policies.schema.operations import BodyKind

ALL_KINDS = frozenset(UnitKind)


@dataclass(frozen=True)
class CheckableRule:
    id: str
    kind: str
    section: str
    title: str
    article: Article | None
    unit_kinds: frozenset[str]
    bureau_levels: frozenset[str] = frozenset()
    spec: Any = field(default=None, compare=False, repr=False)

    def applies_to(self, kind: str, bureau_level: str = "") -> bool:
        if kind not in self.unit_kinds:
            return False
        return not (kind == UnitKind.BUREAU and self.bureau_levels and bureau_level not in self.bureau_levels)

    @property
    def citation(self) -> str:
        return self.article.number if self.article else ""

    @property
    def unit_kinds_label(self) -> str:
        return "、".join(UNIT_KIND_LABELS[UnitKind(k)] for k in sorted(self.unit_kinds))


def _kinds(values: Any) -> frozenset[str]:
    return frozenset(str(v) for v in values)


def _kinds_label(values: Any) -> str:
    return "、".join(UNIT_KIND_LABELS[UnitKind(v)] for v in values)


def _post_rules(pack: Pack) -> list[CheckableRule]:
    rules: list[CheckableRule] = []
    for post in pack.posts:
        kinds = _kinds(post.unit_kinds)
        rules.append(
            CheckableRule(
                f"posts.{post.id}.filled",
                "post_filled",
                "posts",
                f"设立{post.name}{post.per_unit}名",
                pack.article(post.article),
                kinds,
                spec=post,
            )
        )
        if pack.eligibility and any(r.posts is None or post.id in r.posts for r in pack.eligibility.rules):
            first = next(r for r in pack.eligibility.rules if r.posts is None or post.id in r.posts)
            rules.append(
                CheckableRule(
                    f"eligibility.{post.id}",
                    "holder_eligible",
                    "eligibility",
                    f"现任{post.name}符合任职条件",
                    pack.article(first.article),
                    kinds,
                    spec=post,
                )
            )
        term = pack.term
        if term and (term.posts is None or post.id in term.posts):
            if term.min_years or term.max_consecutive_terms or not term.renewable:
                limits = []
                if term.min_years:
                    limits.append(f"任期不少于{term.min_years}年")
                if not term.renewable:
                    limits.append("不得连任")
                elif term.max_consecutive_terms:
                    limits.append(f"连任不超过{term.max_consecutive_terms}届")
                rules.append(
                    CheckableRule(
                        f"term.{post.id}.limits",
                        "term_limits",
                        "term",
                        f"{post.name}{','.join(limits)}",
                        pack.article(term.article),
                        kinds,
                        spec=term,
                    )
                )
            if term.change_must_be_refiled:
                rules.append(
                    CheckableRule(
                        f"term.{post.id}.change_refiled",
                        "change_refiled",
                        "term",
                        f"任期中{post.name}变更须重新报备",
                        pack.article(term.change_article or term.article),
                        kinds,
                        spec=term,
                    )
                )
    return rules


def _coverage_rules(pack: Pack) -> list[CheckableRule]:
    if not pack.coverage:
        return []
    rules = []
    for target in pack.coverage.targets:
        when = f"到{target.by:%Y年%m月%d日}" if target.by else ""
        rules.append(
            CheckableRule(
                f"coverage.{target.id}",
                "coverage_target",
                "coverage",
                f"{when}{target.name}(覆盖率{target.share_percent:g}%)",
                pack.article(target.article),
                frozenset({UnitKind.BUREAU, UnitKind.UNIVERSITY}),
                spec=target,
            )
        )
    return rules


def _assessment_rules(pack: Pack) -> list[CheckableRule]:
    if not pack.assessments:
        return []
    rules = []
    for cycle in pack.assessments.cycles:
        period = PERIOD_LABELS[cycle.period] if cycle.period else ""
        kinds = _kinds(cycle.subject_kinds)
        rules.append(
            CheckableRule(
                f"assessments.{cycle.id}",
                "assessment_cycle",
                "assessments",
                f"{period}参加{cycle.name}并合格",
                pack.article(cycle.article),
                kinds,
                spec=cycle,
            )
        )
        if cycle.consequences and cycle.consequences.on_fail:
            rules.append(
                CheckableRule(
                    f"assessments.{cycle.id}.rectification",
                    "rectification",
                    "assessments",
                    f"{cycle.name}不合格的限期整改到位",
                    pack.article(cycle.consequences.on_fail.article),
                    kinds,
                    spec=cycle,
                )
            )
    return rules


def _training_rules(pack: Pack) -> list[CheckableRule]:
    if not pack.training:
        return []
    rules = []
    for req in pack.training.requirements:
        kinds = frozenset(k for post_id in req.posts if (post := pack.post(post_id)) for k in _kinds(post.unit_kinds))
        rules.append(
            CheckableRule(
                f"training.{req.id}",
                "training_requirement",
                "training",
                f"{PERIOD_LABELS[req.period]}参加{'集中' if req.centralised else ''}培训不少于{req.min_count}次",
                pack.article(req.article),
                kinds or ALL_KINDS,
                spec=req,
            )
        )
    return rules


def _governance_rules(pack: Pack) -> list[CheckableRule]:
    if not pack.governance:
        return []
    rules = []
    for body in pack.governance.bodies:
        kinds, levels = _kinds(body.unit_kinds), _kinds(body.bureau_levels)
        article = pack.article(body.article)
        if body.kind not in (BodyKind.LIAISONS, BodyKind.WORKING_MEETING):
            rules.append(
                CheckableRule(
                    f"governance.{body.id}",
                    "governance_body",
                    "governance",
                    f"设立{body.name}",
                    article,
                    kinds,
                    levels,
                    body,
                )
            )
        if body.meetings:
            m = body.meetings
            minutes = ",形成会议纪要" if m.minutes_required else ""
            if m.period == Period.REGULAR:
                title = f"定期召开{body.name}{minutes}"
            else:
                title = f"{body.name}{PERIOD_LABELS[m.period]}至少召开{m.min_count}次会议{minutes}"
            rules.append(
                CheckableRule(
                    f"governance.{body.id}.meetings",
                    "governance_meetings",
                    "governance",
                    title,
                    pack.article(m.article),
                    kinds,
                    levels,
                    body,
                )
            )
        for seat in body.seats:
            if seat.per_unit_kinds:
                check = "liaison_seat" if body.kind == BodyKind.LIAISONS else "governance_seat"
                rules.append(
                    CheckableRule(
                        f"governance.{body.id}.{seat.id}",
                        check,
                        "governance",
                        f"每个{_kinds_label(seat.per_unit_kinds)}指定{seat.title}{seat.count}名({seat.held_by})",
                        pack.article(seat.article),
                        _kinds(seat.per_unit_kinds),
                        spec=seat,
                    )
                )
    return rules


def _infrastructure_rules(pack: Pack) -> list[CheckableRule]:
    infra = pack.infrastructure
    if not infra:
        return []
    rules = []
    for metric in infra.metrics:
        per_school = UnitKind.SCHOOL in metric.subject_kinds or UnitKind.DEPARTMENT in metric.subject_kinds
        for target in metric.targets:
            share = f"{target.share_of_units:g}%的{_kinds_label(metric.subject_kinds)}" if per_school else ""
            value = f"达到{target.min_value:g}{metric.unit or ''}" if target.min_value is not None else "达标"
            rules.append(
                CheckableRule(
                    f"infrastructure.{metric.id}.{target.year}",
                    "infrastructure_target",
                    "infrastructure",
                    f"到{target.due:%Y年%m月%d日},{share}{metric.name}{value}",
                    pack.article(target.article),
                    frozenset({UnitKind.BUREAU}) if per_school else _kinds(metric.subject_kinds),
                    frozenset() if per_school else _kinds(metric.bureau_levels),
                    (metric, target),
                )
            )
    if infra.reporting:
        r = infra.reporting
        due = f",每月{r.due_day}日前报送" if r.due_day else ""
        rules.append(
            CheckableRule(
                "infrastructure.reporting",
                "progress_report",
                "infrastructure",
                f"{r.name}({PERIOD_LABELS[r.cadence]}{due})",
                pack.article(r.article),
                _kinds(r.reporters),
                _kinds(r.reporter_bureau_levels),
                r,
            )
        )
    for rule in infra.integration:
        rules.append(
            CheckableRule(
                f"infrastructure.{rule.id}",
                "sso_integration",
                "infrastructure",
                f"{rule.applies_to}{rule.name}",
                pack.article(rule.article),
                frozenset({UnitKind.BUREAU, UnitKind.SCHOOL, UnitKind.UNIVERSITY}),
                spec=rule,
            )
        )
    return rules


def _project_rules(pack: Pack) -> list[CheckableRule]:
    projects = pack.projects
    if not projects:
        return []
    rules = []
    for plan in projects.plans:
        period = PERIOD_LABELS[plan.period] if plan.period else ""
        rules.append(
            CheckableRule(
                f"projects.{plan.id}",
                "plan_required",
                "projects",
                f"{period}制定{plan.name}",
                pack.article(plan.article),
                _kinds(plan.unit_kinds),
                _kinds(plan.bureau_levels),
                plan,
            )
        )
    for review in projects.reviews:
        rules.append(
            CheckableRule(
                f"projects.{review.id}",
                "project_review",
                "projects",
                f"{review.scope}须经{review.name}",
                pack.article(review.article),
                _kinds(review.submitters),
                spec=review,
            )
        )
    for banned in projects.banned_categories:
        rules.append(
            CheckableRule(
                f"projects.banned.{banned.id}",
                "banned_category",
                "projects",
                f"不得建设{banned.name}",
                pack.article(banned.article),
                _kinds(banned.applies_to),
                spec=banned,
            )
        )
    return rules


def _security_rules(pack: Pack) -> list[CheckableRule]:
    security = pack.security
    if not security:
        return []
    rules = []
    for duty in security.duties:
        period = f"({PERIOD_LABELS[duty.period]})" if duty.period else ""
        rules.append(
            CheckableRule(
                f"security.{duty.id}",
                "security_duty",
                "security",
                f"{duty.name}{period}",
                pack.article(duty.article),
                _kinds(duty.performers),
                spec=duty,
            )
        )
    # Equipment and written documents: one rule per item, for the unit kinds it names.
    for section, kind, prefix, items in (
        ("equipment", "security_equipment", "配备", security.equipment),
        ("documents", "security_document", "制定", security.documents),
    ):
        rules.extend(
            CheckableRule(
                f"security.{section}.{item.id}",
                kind,
                "security",
                f"{prefix}{item.name}",
                pack.article(item.article),
                _kinds(item.unit_kinds),
                spec=item,
            )
            for item in items
        )
    for data_rule in security.data_protection:
        rules.append(
            CheckableRule(
                f"security.data.{data_rule.id}",
                "data_protection",
                "security",
                data_rule.name,
                pack.article(data_rule.article),
                frozenset(str(k) for k in pack.applies_to),
                spec=data_rule,
            )
        )
    return rules


BUILDERS = (
    _post_rules,
    _coverage_rules,
    _assessment_rules,
    _training_rules,
    _governance_rules,
    _infrastructure_rules,
    _project_rules,
    _security_rules,
)

_by_source: dict[str, list[CheckableRule]] = {}


def checkable_rules(pack: LoadedPack | Pack) -> list[CheckableRule]:
    """Every checkable rule of the pack, in section order (cached by the stored source's hash)."""
    if isinstance(pack, LoadedPack) and pack.sha256:
        cached = _by_source.get(pack.sha256)
        if cached is None:
            if len(_by_source) > 256:
                _by_source.clear()
            cached = _by_source[pack.sha256] = [rule for build in BUILDERS for rule in build(pack.spec)]
        return cached
    spec = pack.spec if isinstance(pack, LoadedPack) else pack
    return [rule for build in BUILDERS for rule in build(spec)]
