"""Training compliance: who must train under their pack, who did, and the compliance engine's check.

Who must comply: the holders of an active appointment to a required post
(贺兰 第十六条: the CIO) at the units whose effective pack sets the requirement.
They comply in a period when they attended (and did not fail) at least
``min_count`` trainings ending in it that match the requirement: centralised,
organised at the listed levels, of the listed certificate kinds, long enough.
A cancelled training counts for nobody.

Everything is set-based: the holders are one queryset annotated with one
counting subquery per period window, grouped in SQL for the per-unit table,
so a city of 20,000 schools costs the same handful of queries as a county.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import add
from typing import Any

from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope
from educio.appointments.coverage import Region, governing_regions
from educio.appointments.models import Appointment, AppointmentStatus
from educio.orgs.models import Organization
from educio.policies.compliance import CheckableRule, Outcome, register
from educio.policies.loaded import LoadedPack
from educio.policies.schema import Article
from educio.policies.schema.base import Period
from educio.policies.schema.people import TrainingRequirement
from educio.training.models import Attendance, Enrollment, TrainingResult

STEP = Organization.steplen
EARLIEST = date(2000, 1, 1)


# --- periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """One period a requirement is counted over (a year, a semester, a quarter...)."""

    label: str
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _windows_of_year(period: Period, year: int) -> list[Window]:
    if period == Period.SEMESTER:
        # 春季学期 February to July; 秋季学期 August to the following January.
        return [
            Window(_("%(y)d年春季学期") % {"y": year}, date(year, 2, 1), date(year, 7, 31)),
            Window(_("%(y)d年秋季学期") % {"y": year}, date(year, 8, 1), date(year + 1, 1, 31)),
        ]
    if period == Period.QUARTERLY:
        return [
            Window(_("%(y)d年第%(q)d季度") % {"y": year, "q": q}, date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
            for q in range(1, 5)
        ]
    if period == Period.MONTHLY:
        return [
            Window(_("%(y)d年%(m)d月") % {"y": year, "m": m}, date(year, m, 1), _month_end(year, m))
            for m in range(1, 13)
        ]
    if period in (Period.BIENNIAL, Period.TRIENNIAL):
        first = year - (1 if period == Period.BIENNIAL else 2)
        return [Window(_("%(a)d—%(b)d年") % {"a": first, "b": year}, date(first, 1, 1), date(year, 12, 31))]
    if period == Period.ONCE:
        return [Window(_("截至%(y)d年底") % {"y": year}, EARLIEST, date(year, 12, 31))]
    # 每年; and 定期, which sets no number of its own, is held to the yearly count.
    return [Window(_("%(y)d年") % {"y": year}, date(year, 1, 1), date(year, 12, 31))]


def period_windows(period: str, year: int, today: date | None = None) -> list[Window]:
    """The windows of ``year`` that have begun by ``today`` (at least the first): a future one is not yet due."""
    today = today or timezone.localdate()
    windows = _windows_of_year(Period(period), year)
    return [w for w in windows if w.start <= today] or windows[:1]


# --- what counts ---------------------------------------------------------------------------------


def credit_q(requirement: TrainingRequirement) -> Q:
    """Enrolments that count towards ``requirement``: attended, not failed, of a matching training."""
    query = Q(attendance=Attendance.ATTENDED, event__is_cancelled=False) & ~Q(result=TrainingResult.FAILED)
    if requirement.centralised:
        query &= Q(event__centralised=True)
    if requirement.organiser_levels:
        query &= Q(event__level__in=[str(level) for level in requirement.organiser_levels])
    if requirement.certificate_kinds:
        query &= Q(event__certificate_kind__in=list(requirement.certificate_kinds))
    if requirement.min_hours:
        # Hours are recorded per person; a blank means the whole training was attended.
        hours = Decimal(str(requirement.min_hours))
        query &= Q(hours_attended__gte=hours) | Q(hours_attended__isnull=True, event__hours__gte=hours)
    return query


def _count_in(requirement: TrainingRequirement, window: Window) -> Coalesce:
    counted = (
        Enrollment.objects.filter(
            credit_q(requirement),
            person=OuterRef("person_id"),
            event__ends_on__gte=window.start,
            event__ends_on__lte=window.end,
        )
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def annotate_compliance(
    holders: QuerySet[Appointment], requirement: TrainingRequirement, windows: Sequence[Window]
) -> QuerySet[Appointment]:
    """``attended`` (count over the windows) and ``compliant`` (every window reaches ``min_count``) per holder."""
    names = [f"window_{i}" for i in range(len(windows))]
    holders = holders.annotate(**{name: _count_in(requirement, w) for name, w in zip(names, windows, strict=True)})
    met = reduce(lambda q, name: q & Q(**{f"{name}__gte": requirement.min_count}), names, Q())
    return holders.annotate(
        attended=reduce(add, [F(name) for name in names]),
        compliant=Case(When(met, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


# --- requirements in force -----------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementInForce:
    """One requirement of one pack version, and the parts of the tree where that pack governs."""

    pack: LoadedPack
    requirement: TrainingRequirement
    regions: tuple[Region, ...]

    @property
    def key(self) -> str:
        return f"{self.pack.pk}.{self.requirement.id}"

    @property
    def article(self) -> Article | None:
        return self.pack.article(self.requirement.article)

    @property
    def citation(self) -> str:
        return self.article.number if self.article else ""

    @property
    def label(self) -> str:
        return f"{self.pack.title} · {self.requirement.name}"

    @property
    def post_names(self) -> str:
        return "、".join((p.name if (p := self.pack.spec.post(post)) else post) for post in self.requirement.posts)

    def governed_q(self, path_field: str = "path") -> Q:
        return reduce(lambda q, region: q | region.q(path_field), self.regions, Q(pk__in=[]))


def requirements_in_force(root: Organization) -> list[RequirementInForce]:
    """The training requirements of the packs in force at ``root`` or anywhere below it (one query)."""
    regions = [r for r in governing_regions([root.path]) if r.path.startswith(root.path) or r.governs(root.path)]
    found: dict[str, tuple[LoadedPack, TrainingRequirement, list[Region]]] = {}
    for region in regions:
        training = region.pack.spec.training
        for requirement in training.requirements if training else ():
            key = f"{region.pack.pk}.{requirement.id}"
            found.setdefault(key, (region.pack, requirement, []))[2].append(region)
    return [RequirementInForce(pack, req, tuple(members)) for pack, req, members in found.values()]


def holders(
    *, user: Any, root: Organization, requirement: RequirementInForce, windows: Sequence[Window]
) -> QuerySet[Appointment]:
    """Active holders of the required posts in ``root``'s subtree where the requirement governs, in the scope."""
    queryset = Appointment.objects.filter(
        requirement.governed_q("organization__path"),
        status=AppointmentStatus.ACTIVE,
        post__in=list(requirement.requirement.posts),
        organization__path__startswith=root.path,
    ).select_related("organization", "person")
    queryset = filter_in_scope(queryset, user, Perm.TRAINING_VIEW, "organization")
    return annotate_compliance(queryset, requirement.requirement, windows)


# --- the report ----------------------------------------------------------------------------------


@dataclass
class GroupRow:
    """The holders under one child unit of the selected unit (or at the unit itself, ``is_self``)."""

    unit: Organization
    total: int = 0
    compliant: int = 0
    is_self: bool = False

    @property
    def missing(self) -> int:
        return self.total - self.compliant

    @property
    def share(self) -> float | None:
        return round(self.compliant * 100 / self.total, 1) if self.total else None


@dataclass
class ComplianceReport:
    root: Organization
    year: int
    requirement: RequirementInForce | None
    windows: list[Window]
    rows: list[GroupRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def compliant(self) -> int:
        return sum(r.compliant for r in self.rows)

    @property
    def missing(self) -> int:
        return self.total - self.compliant

    @property
    def period_label(self) -> str:
        return "、".join(w.label for w in self.windows)


def group_rows(root: Organization, annotated: QuerySet[Appointment]) -> list[GroupRow]:
    """Holders and compliant holders per child unit of ``root``: one aggregate and one query for the units."""
    length = len(root.path) + STEP
    counts = (
        annotated.annotate(group=Substr("organization__path", 1, length))
        .order_by()
        .values("group")
        .annotate(total=Count("pk"), ok=Count("pk", filter=Q(compliant=True)))
    )
    by_group = {c["group"]: (c["total"], c["ok"]) for c in counts}
    units = Organization.objects.filter(path__in=list(by_group)).order_by("path")
    return [GroupRow(unit, *by_group[unit.path], is_self=unit.pk == root.pk) for unit in units if unit.path in by_group]


def compliance_report(
    *, user: Any, root: Organization, year: int, requirement: RequirementInForce | None, today: date | None = None
) -> ComplianceReport:
    """The per-unit table of one requirement in ``root``'s subtree for ``year`` (empty without a requirement)."""
    if requirement is None:
        return ComplianceReport(root, year, None, [])
    windows = period_windows(requirement.requirement.period, year, today)
    annotated = holders(user=user, root=root, requirement=requirement, windows=windows)
    return ComplianceReport(root, year, requirement, windows, group_rows(root, annotated))


def chart_option(report: ComplianceReport, max_bars: int = 40) -> dict[str, Any]:
    """ECharts stacked bars: compliant and missing holders per child unit."""
    rows = report.rows[:max_bars]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [r.unit.short_name or r.unit.name for r in rows],
            "axisLabel": {"interval": 0, "rotate": 30 if len(rows) > 6 else 0},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": _("合规"), "type": "bar", "stack": "n", "color": "#2fb344", "data": [r.compliant for r in rows]},
            {"name": _("缺训"), "type": "bar", "stack": "n", "color": "#d63939", "data": [r.missing for r in rows]},
        ],
    }


# --- the compliance engine's check ---------------------------------------------------------------


def _noun(requirement: TrainingRequirement) -> str:
    return _("集中培训") if requirement.centralised else _("培训")


@register("training_requirement")
def training_requirement(rule: CheckableRule, units: Sequence[Organization]) -> Mapping[int, Outcome]:
    """This year's windows so far: every holder of the required posts at the unit trained enough (one query)."""
    requirement = rule.spec
    assert isinstance(requirement, TrainingRequirement)
    today = timezone.localdate()
    windows = period_windows(requirement.period, today.year, today)
    queryset = Appointment.objects.filter(
        organization__in=[u.pk for u in units], status=AppointmentStatus.ACTIVE, post__in=list(requirement.posts)
    ).select_related("person")
    by_unit: dict[int, list[Appointment]] = defaultdict(list)
    for holder in annotate_compliance(queryset, requirement, windows).order_by("person__name", "pk"):
        by_unit[holder.organization_id].append(holder)
    period = "、".join(w.label for w in windows)
    noun = _noun(requirement)
    outcomes = {}
    for unit in units:
        held = by_unit.get(unit.pk, [])
        if not held:
            outcomes[unit.pk] = Outcome.not_evaluable(_("暂无在任人员,无培训要求可核查"))
            continue
        missing = [h for h in held if not h.compliant]  # type: ignore[attr-defined]
        if missing:
            names = "、".join(f"{h.person.name}({h.attended}次)" for h in missing)  # type: ignore[attr-defined]
            outcomes[unit.pk] = Outcome.failed(
                _("%(names)s%(period)s参加%(noun)s不足%(n)d次")
                % {"names": names, "period": period, "noun": noun, "n": requirement.min_count}
            )
        else:
            names = "、".join(f"{h.person.name}({h.attended}次)" for h in held)  # type: ignore[attr-defined]
            outcomes[unit.pk] = Outcome.passed(
                _("%(names)s%(period)s已参加%(noun)s,达到每期%(n)d次的要求")
                % {"names": names, "period": period, "noun": noun, "n": requirement.min_count}
            )
    return outcomes
