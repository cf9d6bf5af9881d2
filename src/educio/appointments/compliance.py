"""Checks of the post, term and coverage rules (``policies.compliance``), evaluated on the appointments.

Registered when the app is ready. Each check receives one rule and a page of
units and answers every unit with a fixed number of queries for the whole
page. A unit the data cannot judge (no holder to check a term of, no
submission record) is "暂无法评估", never a pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from educio.appointments.coverage import TargetVerdict, governing_regions, region_of, subtree_tallies
from educio.appointments.models import Appointment, AppointmentStatus, EndReason, Nomination, NominationKind
from educio.appointments.services import add_years
from educio.orgs.models import Organization
from educio.policies.compliance import CheckableRule, Outcome, register
from educio.policies.schema.operations import CoverageTarget
from educio.policies.schema.people import Post, Term


def _day(value: date) -> str:
    return f"{value:%Y年%m月%d日}"


def _active_by_unit(units: Sequence[Organization], posts: Iterable[str] | None) -> dict[int, list[Appointment]]:
    """The active appointments of the units (to ``posts``, or any post), oldest first: one query."""
    queryset = Appointment.objects.filter(organization__in=[u.pk for u in units], status=AppointmentStatus.ACTIVE)
    if posts is not None:
        queryset = queryset.filter(post__in=list(posts))
    found: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in queryset.select_related("person", "nomination").order_by("starts_on", "pk"):
        found[appointment.organization_id].append(appointment)
    return found


def _names(appointments: Sequence[Appointment]) -> str:
    return "、".join(a.person.name for a in appointments)


# --- posts ---------------------------------------------------------------------------------------


@register("post_filled")
def post_filled(rule: CheckableRule, units: Sequence[Organization]) -> Mapping[int, Outcome]:
    """Exactly ``per_unit`` active appointments to the post at each unit that must have it."""
    post = rule.spec
    assert isinstance(post, Post)
    holders = _active_by_unit(units, [post.id])
    outcomes = {}
    for unit in units:
        held = holders.get(unit.pk, [])
        if not held:
            outcomes[unit.pk] = Outcome.failed(f"未设立{post.name}")
        elif len(held) != post.per_unit:
            comparison = "超过" if len(held) > post.per_unit else "少于"
            outcomes[unit.pk] = Outcome.failed(
                f"在任{post.name}{len(held)}名({_names(held)}),{comparison}规定的{post.per_unit}名"
            )
        else:
            outcomes[unit.pk] = Outcome.passed(f"已设立{post.name}:{_names(held)}")
    return outcomes


def _eligibility(appointment: Appointment) -> tuple[str, str]:
    """(verdict, failing rules) of the eligibility check recorded when the holder's nomination was submitted."""
    snapshot = appointment.nomination.eligibility if appointment.nomination else {}
    verdict = (snapshot or {}).get("verdict", "")
    failing = [
        f.get("label") or f.get("rule", "") for f in (snapshot or {}).get("findings", []) if f.get("status") == "fail"
    ]
    return verdict, "、".join(failing)


@register("holder_eligible")
def holder_eligible(rule: CheckableRule, units: Sequence[Organization]) -> Mapping[int, Outcome]:
    """The current holder met the eligibility rules when the nomination was submitted (its recorded check)."""
    post = rule.spec
    assert isinstance(post, Post)
    holders = _active_by_unit(units, [post.id])
    outcomes = {}
    for unit in units:
        held = holders.get(unit.pk, [])
        if not held:
            outcomes[unit.pk] = Outcome.not_evaluable(f"未设立{post.name},无现任人员可核验")
            continue
        checks = {a.person.name: _eligibility(a) for a in held}
        failed = [f"{name}({detail or '任职条件不符合'})" for name, (v, detail) in checks.items() if v == "fail"]
        unknown = [name for name, (v, _detail) in checks.items() if v not in ("pass", "fail")]
        if failed:
            outcomes[unit.pk] = Outcome.failed("报送时任职条件核验不符合:" + "、".join(failed))
        elif unknown:
            outcomes[unit.pk] = Outcome.not_evaluable(
                f"{'、'.join(unknown)}无报送时的任职条件核验结论(或有待人工核实的条件)"
            )
        else:
            outcomes[unit.pk] = Outcome.passed(f"{_names(held)}报送时任职条件核验符合")
    return outcomes


# --- terms ---------------------------------------------------------------------------------------


def term_problems(appointment: Appointment, term: Term, today: date) -> list[str]:
    """What breaks the pack's term rules in one active appointment (empty when nothing does)."""
    name = appointment.person.name
    problems = []
    if appointment.ends_on is not None and appointment.ends_on < today:
        problems.append(f"{name}任期已于{_day(appointment.ends_on)}届满未续聘")
    if not term.renewable and appointment.term_number > 1:
        problems.append(f"{name}已连续任职第{appointment.term_number}届,该岗位不得连任")
    elif term.max_consecutive_terms and appointment.term_number > term.max_consecutive_terms:
        problems.append(
            f"{name}已连续任职第{appointment.term_number}届,超过连任不超过{term.max_consecutive_terms}届的规定"
        )
    if appointment.ends_on is not None:
        last_day = appointment.ends_on + timedelta(days=1)
        if term.min_years and last_day < add_years(appointment.starts_on, term.min_years):
            problems.append(
                f"{name}任期{_day(appointment.starts_on)}至{_day(appointment.ends_on)},不足{term.min_years}年"
            )
        if term.max_years and last_day > add_years(appointment.starts_on, term.max_years):
            problems.append(
                f"{name}任期{_day(appointment.starts_on)}至{_day(appointment.ends_on)},超过{term.max_years}年"
            )
    return problems


def _term_summary(appointment: Appointment) -> str:
    until = _day(appointment.ends_on) if appointment.ends_on else "未定"
    return f"{appointment.person.name}第{appointment.term_number}届任期{_day(appointment.starts_on)}至{until}"


@register("term_limits")
def term_limits(rule: CheckableRule, units: Sequence[Organization]) -> Mapping[int, Outcome]:
    """Active terms within the pack's length, not past their end, and within the consecutive-term limit."""
    term = rule.spec
    assert isinstance(term, Term)
    today = timezone.localdate()
    holders = _active_by_unit(units, term.posts)
    outcomes = {}
    for unit in units:
        held = holders.get(unit.pk, [])
        if not held:
            outcomes[unit.pk] = Outcome.not_evaluable("暂无在任人员,无任期可核查")
            continue
        problems = [p for a in held for p in term_problems(a, term, today)]
        if problems:
            outcomes[unit.pk] = Outcome.failed(";".join(problems))
        else:
            outcomes[unit.pk] = Outcome.passed(";".join(_term_summary(a) for a in held) + ",符合任期规定")
    return outcomes


@register("change_refiled")
def change_refiled(rule: CheckableRule, units: Sequence[Organization]) -> Mapping[int, Outcome]:
    """Every mid-term replacement went through a change filing (a change nomination replacing the old term)."""
    term = rule.spec
    assert isinstance(term, Term)
    appointments = Appointment.objects.filter(organization__in=[u.pk for u in units])
    if term.posts is not None:
        appointments = appointments.filter(post__in=term.posts)
    filed = Exists(Nomination.objects.filter(replaces=OuterRef("pk"), kind=NominationKind.CHANGE))
    seen: set[int] = set()
    changes: dict[int, list[bool]] = defaultdict(list)
    for unit_id, reason, was_filed in appointments.annotate(filed=filed).values_list(
        "organization_id", "end_reason", "filed"
    ):
        seen.add(unit_id)
        if reason == EndReason.REPLACED:
            changes[unit_id].append(was_filed)
    outcomes = {}
    for unit in units:
        if unit.pk not in seen:
            outcomes[unit.pk] = Outcome.not_evaluable("尚无任命记录")
            continue
        made = changes.get(unit.pk, [])
        missing = made.count(False)
        if missing:
            outcomes[unit.pk] = Outcome.failed(f"任期内变更{len(made)}次,其中{missing}次未按规定报备")
        elif made:
            outcomes[unit.pk] = Outcome.passed(f"任期内变更{len(made)}次,均已报备")
        else:
            outcomes[unit.pk] = Outcome.passed("任期内未发生人员变更")
    return outcomes


# --- coverage ------------------------------------------------------------------------------------


@register("coverage_target")
def coverage_target(rule: CheckableRule, units: Sequence[Organization]) -> Mapping[int, Outcome]:
    """The share of the bureau's units (those its pack governs) with an active holder, against the target."""
    target = rule.spec
    assert isinstance(target, CoverageTarget)
    today = timezone.localdate()
    regions = governing_regions([u.path for u in units])
    by_pack: dict[str, list[Organization]] = defaultdict(list)
    for unit in units:
        region = region_of(regions, unit.path)
        if region is not None:
            by_pack[region.pack.pack_id].append(unit)
    outcomes = {}
    for pack_id, members in by_pack.items():
        governed = [r for r in regions if r.pack.pack_id == pack_id]
        tallies = subtree_tallies(members, governed, post=target.post, unit_kinds=[str(k) for k in target.unit_kinds])
        for unit in members:
            region = region_of(regions, unit.path)
            assert region is not None
            verdict = TargetVerdict(region.pack, target, tallies[unit.pk], today)
            if not verdict.tally.required:
                outcomes[unit.pk] = Outcome.not_evaluable("辖区内没有按制度须设立该岗位的单位")
            elif verdict.met:
                outcomes[unit.pk] = Outcome.passed(verdict.explanation)
            else:
                outcomes[unit.pk] = Outcome.failed(verdict.explanation)
    return outcomes
