"""Coverage of the CIO post: of the units that must have one, how many do — by child unit, against the pack's target.

Which units need the post is the pack's word (``posts[].unit_kinds``: schools
under 焦作 and 贺兰, the university under 宜春), and a subtree can mix packs:
each active adoption governs its unit's subtree minus the deeper adoptions
inside it (a ``Region``). Everything is counted set-based — one aggregate
over the units, grouped by the child's path prefix (treebeard materialised
path: the ancestor at depth d of a unit is ``path[:steplen * d]``), with an
``Exists`` over the active appointments — so a city of 20,000 schools costs
the same handful of queries as a county of ten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope, scope_paths, scope_q
from educio.appointments.models import Appointment, AppointmentStatus, Nomination, NominationStatus
from educio.appointments.selectors import expiring_within, with_status
from educio.orgs.models import Organization, OrgKind
from educio.policies.loaded import LoadedPack
from educio.policies.models import PackAdoption
from educio.policies.schema import Article
from educio.policies.schema.operations import CoverageTarget
from educio.policies.schema.people import Post
from educio.policies.selectors import ancestor_paths

STEP = Organization.steplen
VIEW_PERM = Perm.APPOINTMENT_VIEW
EXPIRING_DAYS = 90
# Units that hold other units: each is a row of its parent's coverage table; a school is a row only when it counts.
CONTAINER_KINDS = (OrgKind.BUREAU, OrgKind.UNIVERSITY)
# The nomination statuses shown as columns, in review order (withdrawn ones are left out of the counts).
NOMINATION_COLUMNS = (
    NominationStatus.DRAFT,
    NominationStatus.IN_REVIEW,
    NominationStatus.RETURNED,
    NominationStatus.APPROVED,
    NominationStatus.REJECTED,
    NominationStatus.APPOINTED,
)


# --- where each pack is in force -----------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """The part of the tree one adoption governs: its unit's subtree minus the deeper adoptions inside it."""

    path: str
    pack: LoadedPack
    carved_out: tuple[str, ...] = ()

    @property
    def post(self) -> Post | None:
        """The post coverage is about: the one the pack's coverage target names, else its first post."""
        spec = self.pack.spec
        for target in spec.coverage.targets if spec.coverage else ():
            post = spec.post(target.post)
            if post is not None:
                return post
        return spec.posts[0] if spec.posts else None

    def q(self, path_field: str = "path") -> Q:
        query = Q(**{f"{path_field}__startswith": self.path})
        for inner in self.carved_out:
            query &= ~Q(**{f"{path_field}__startswith": inner})
        return query

    def governs(self, path: str) -> bool:
        return path.startswith(self.path) and not any(path.startswith(inner) for inner in self.carved_out)


def governing_regions(paths: Iterable[str]) -> list[Region]:
    """The regions covering any part of the subtrees at ``paths`` ("" = the whole tree), in one query."""
    paths = list(paths)
    if not paths:
        return []
    where = Q()
    if "" not in paths:
        where = Q(organization__path__in={a for p in paths for a in ancestor_paths(p)})
        for path in paths:
            where |= Q(organization__path__startswith=path)
    adoptions = list(
        PackAdoption.objects.filter(where, superseded_at__isnull=True)
        .select_related("pack", "organization")
        .order_by("organization__path")
    )
    regions = []
    for i, adoption in enumerate(adoptions):
        path = adoption.organization.path
        # Sorted by path, an adoption's descendants follow it; keep only the outermost of them.
        inner: list[str] = []
        for later in adoptions[i + 1 :]:
            later_path = later.organization.path
            if not later_path.startswith(path):
                break
            if not inner or not later_path.startswith(inner[-1]):
                inner.append(later_path)
        regions.append(Region(path, LoadedPack.from_row(adoption.pack, adoption), tuple(inner)))
    return regions


def region_of(regions: Sequence[Region], path: str) -> Region | None:
    return next((r for r in regions if r.governs(path)), None)


def _nothing() -> Q:
    return Q(pk__in=[])


def needs_post_q(regions: Sequence[Region]) -> Q:
    """Units that their pack says must have the post."""
    query = _nothing()
    for region in regions:
        if region.post is not None:
            query |= region.q() & Q(kind__in=[str(k) for k in region.post.unit_kinds])
    return query


def _active_holder(post: str) -> Exists:
    return Exists(Appointment.objects.filter(organization=OuterRef("pk"), post=post, status=AppointmentStatus.ACTIVE))


def holds_post_q(regions: Sequence[Region]) -> Q:
    """Units with an active appointment to the post their region's pack counts."""
    by_post: dict[str, Q] = {}
    for region in regions:
        if region.post is not None:
            by_post[region.post.id] = by_post.get(region.post.id, _nothing()) | region.q()
    query = _nothing()
    for post, where in by_post.items():
        query |= where & Q(_active_holder(post))
    return query


def _region_index(regions: Sequence[Region]) -> Case:
    return Case(
        *(When(region.q(), then=Value(i)) for i, region in enumerate(regions)),
        default=Value(-1),
        output_field=IntegerField(),
    )


# --- counting ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Units that must have the post and units that do."""

    required: int = 0
    held: int = 0

    @property
    def missing(self) -> int:
        return self.required - self.held

    @property
    def share(self) -> float | None:
        return round(self.held * 100 / self.required, 1) if self.required else None

    def reaches(self, percent: float) -> bool:
        return self.required > 0 and self.held * 100 >= percent * self.required

    def __iadd__(self, other: Tally) -> Tally:
        self.required += other.required
        self.held += other.held
        return self


# (group path, region index, unit kind) -> tally
Tallies = dict[tuple[str, int, str], Tally]


def _tallies(units: QuerySet[Organization], regions: Sequence[Region], group: Any) -> Tallies:
    """One aggregate: required/held units by group (a path prefix expression), region and kind."""
    if not any(r.post for r in regions):
        return {}
    held = holds_post_q(regions)
    rows = (
        units.filter(needs_post_q(regions), is_active=True)
        .annotate(group=group, region=_region_index(regions))
        .order_by()
        .values("group", "region", "kind")
        .annotate(required=Count("pk"), held=Count("pk", filter=held))
    )
    return {(r["group"], r["region"], r["kind"]): Tally(r["required"], r["held"]) for r in rows}


def _sum(tallies: Tallies, keep: Any = None) -> Tally:
    total = Tally()
    for key, tally in tallies.items():
        if keep is None or keep(*key):
            total += tally
    return total


@dataclass(frozen=True)
class TargetVerdict:
    """A pack's coverage target against the units it governs: 达标, or 未达标 with the days left (or overdue)."""

    pack: LoadedPack
    target: CoverageTarget
    tally: Tally
    today: date

    @property
    def article(self) -> Article | None:
        return self.pack.article(self.target.article)

    @property
    def met(self) -> bool:
        return self.tally.reaches(self.target.share_percent)

    @property
    def days_left(self) -> int | None:
        return (self.target.by - self.today).days if self.target.by else None

    @property
    def label(self) -> str:
        if not self.tally.required:
            return _("无须设立的单位")
        if self.met:
            return pgettext("coverage verdict", "达标")
        if self.days_left is None:
            return _("未达标")
        if self.days_left >= 0:
            return _("未达标,距截止%(n)d天") % {"n": self.days_left}
        return _("未达标,已逾期%(n)d天") % {"n": -self.days_left}

    @property
    def css(self) -> str:
        if not self.tally.required:
            return "secondary"
        if self.met:
            return "green"
        return "red" if self.days_left is None or self.days_left < 0 else "orange"

    @property
    def explanation(self) -> str:
        """The sentence a compliance finding shows."""
        share = self.tally.share
        facts = _("已设立%(held)d个,须设立%(required)d个,覆盖率%(share)s%%") % {
            "held": self.tally.held,
            "required": self.tally.required,
            "share": f"{share:g}" if share is not None else "—",
        }
        goal = f"{self.target.share_percent:g}%"
        if self.met:
            return _("%(facts)s,达到%(goal)s的目标") % {"facts": facts, "goal": goal}
        tail = ""
        if self.days_left is not None:
            tail = (_(",距%(by)s截止还有%(n)d天") if self.days_left >= 0 else _(",已超过%(by)s的截止日期%(n)d天")) % {
                "by": f"{self.target.by:%Y年%m月%d日}",
                "n": abs(self.days_left),
            }
        return _("%(facts)s,未达到%(goal)s的目标%(tail)s") % {"facts": facts, "goal": goal, "tail": tail}


def _targets(regions: Sequence[Region], tallies: Tallies, today: date) -> list[TargetVerdict]:
    """Each target of each pack in force, over the units of the regions of that pack."""
    verdicts: dict[tuple[int, str], TargetVerdict] = {}
    for region in regions:
        coverage = region.pack.spec.coverage
        for target in coverage.targets if coverage else ():
            key = (region.pack.pk, target.id)
            if key in verdicts:
                continue
            members = {
                i for i, r in enumerate(regions) if r.pack.pk == region.pack.pk and r.post and r.post.id == target.post
            }
            kinds = {str(k) for k in target.unit_kinds}
            tally = _sum(tallies, lambda _g, i, kind, m=members, k=kinds: i in m and kind in k)
            verdicts[key] = TargetVerdict(region.pack, target, tally, today)
    return list(verdicts.values())


def nomination_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """``(status, label, count)`` for each column, in review order."""
    return [(s.value, str(s.label), counts.get(s, 0)) for s in NOMINATION_COLUMNS]


# --- the report ----------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    """One child unit of the selected one (or the selected unit itself, ``is_self``)."""

    unit: Organization
    tally: Tally = field(default_factory=Tally)
    expiring: int = 0
    nominations: dict[str, int] = field(default_factory=dict)
    target_percent: float | None = None
    is_self: bool = False

    @property
    def nomination_counts(self) -> list[tuple[str, str, int]]:
        return nomination_counts(self.nominations)

    @property
    def met(self) -> bool | None:
        if self.target_percent is None or not self.tally.required:
            return None
        return self.tally.reaches(self.target_percent)

    @property
    def has_numbers(self) -> bool:
        return bool(self.tally.required or self.expiring or any(self.nominations.values()))


@dataclass
class CoverageReport:
    root: Organization
    rows: list[CoverageRow]
    total: Tally
    expiring: int
    nominations: dict[str, int]
    targets: list[TargetVerdict]
    packs: list[LoadedPack]
    unit_kinds: list[str]
    today: date

    @property
    def nomination_counts(self) -> list[tuple[str, str, int]]:
        return nomination_counts(self.nominations)

    @property
    def in_review(self) -> int:
        return self.nominations.get(NominationStatus.IN_REVIEW, 0)

    @property
    def main_target(self) -> TargetVerdict | None:
        """The target of the pack in force at the unit itself, else the first one found below it."""
        return next((t for t in self.targets if t.tally.required), self.targets[0] if self.targets else None)


def _group(length: int, path_field: str = "path") -> Substr:
    return Substr(path_field, 1, length)


def _expiring_by_group(root: Organization, length: int, today: date) -> dict[str, int]:
    appointments = expiring_within(
        Appointment.objects.filter(organization__path__startswith=root.path), EXPIRING_DAYS, today
    )
    rows = (
        appointments.annotate(group=_group(length, "organization__path"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
    )
    return {r["group"]: r["n"] for r in rows}


def _nominations_by_group(root: Organization, length: int) -> dict[str, dict[str, int]]:
    nominations = with_status(Nomination.objects.filter(organization__path__startswith=root.path))
    rows = (
        nominations.annotate(group=_group(length, "organization__path"))
        .order_by()
        .values("group", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        counts[r["group"]][r["status"] or NominationStatus.DRAFT] = r["n"]
    return counts


def coverage_report(root: Organization, *, today: date | None = None) -> CoverageReport:
    """The coverage of ``root``'s subtree by child unit (fetch ``root`` with ``coverage_unit_get``): 5 queries."""
    today = today or timezone.localdate()
    length = len(root.path) + STEP
    regions = [r for r in governing_regions([root.path]) if r.path.startswith(root.path) or r.governs(root.path)]
    tallies = _tallies(Organization.objects.filter(path__startswith=root.path), regions, _group(length))
    expiring = _expiring_by_group(root, length, today)
    nominations = _nominations_by_group(root, length)
    targets = _targets(regions, tallies, today)
    children = Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1, is_active=True)
    rows = []
    for unit in [root, *children.order_by("path")]:
        row = CoverageRow(
            unit,
            _sum(tallies, lambda g, *_rest, p=unit.path: g == p),
            expiring.get(unit.path, 0),
            nominations.get(unit.path, {}),
            is_self=unit.pk == root.pk,
        )
        region = region_of(regions, unit.path)
        goals = [t.target.share_percent for t in targets if region is not None and t.pack.pk == region.pack.pk]
        row.target_percent = max(goals) if goals else None
        if row.has_numbers or (not row.is_self and unit.kind in CONTAINER_KINDS):
            rows.append(row)
    return CoverageReport(
        root=root,
        rows=rows,
        total=_sum(tallies),
        expiring=sum(expiring.values()),
        nominations={s: sum(c.get(s, 0) for c in nominations.values()) for s in NominationStatus.values},
        targets=targets,
        packs=list({r.pack.pk: r.pack for r in regions}.values()),
        unit_kinds=sorted({str(k) for r in regions if r.post for k in r.post.unit_kinds}),
        today=today,
    )


@dataclass(frozen=True)
class CoverageSummary:
    """The whole scope of a user in one line: the home page card."""

    tally: Tally
    target: TargetVerdict | None


def coverage_summary(*, user: Any, today: date | None = None) -> CoverageSummary:
    """Required/held over every unit in the user's scope, and the first target: 2 queries."""
    today = today or timezone.localdate()
    regions = governing_regions(scope_paths(user, VIEW_PERM))
    units = filter_in_scope(Organization.objects.all(), user, VIEW_PERM)
    tallies = _tallies(units, regions, Value(""))
    targets = _targets(regions, tallies, today)
    return CoverageSummary(_sum(tallies), next((t for t in targets if t.tally.required), None))


# --- scoped reads for the pages and the API ------------------------------------------------------


def coverage_units(*, user: Any, perm: str = VIEW_PERM) -> QuerySet[Organization]:
    return filter_in_scope(Organization.objects.all(), user, perm)


def coverage_unit_get(*, user: Any, pk: int, perm: str = VIEW_PERM) -> Organization:
    """A unit whose coverage the user may see, else 404."""
    return get_object_or_404(coverage_units(user=user, perm=perm), pk=pk)


def coverage_default_unit(*, user: Any, perm: str = VIEW_PERM) -> Organization | None:
    """The user's top unit: the first unit of their scope (the first root for a platform administrator)."""
    paths = scope_paths(user, perm)
    if not paths:
        return None
    queryset = Organization.objects.filter(depth=1) if paths == [""] else Organization.objects.filter(path__in=paths)
    return queryset.order_by("path").first()


def coverage_unit_choices(*, user: Any, perm: str = VIEW_PERM, limit: int = 2000) -> list[Organization]:
    """Bureaus and universities the user may pick, in tree order (one query)."""
    queryset = coverage_units(user=user, perm=perm).filter(kind__in=CONTAINER_KINDS, is_active=True)
    return list(queryset.order_by("path")[:limit])


def coverage_gaps(*, user: Any, root: Organization | None = None, perm: str = VIEW_PERM) -> Gaps:
    """Active units in scope (under ``root``) that their pack says need the post and that have no active holder.

    Each unit carries ``region`` (an index into ``Gaps.regions``: the pack in force) and
    ``nomination_status`` (the status of its latest nomination, if any).
    """
    regions = governing_regions([root.path] if root is not None else scope_paths(user, perm))
    units = Organization.objects.filter(scope_q(user, perm), is_active=True)
    if root is not None:
        units = units.filter(path__startswith=root.path)
    latest = with_status(Nomination.objects.filter(organization=OuterRef("pk"))).order_by("-created_at", "-pk")
    # ``status`` is with_status's annotation, which the mypy plugin cannot see through the helper.
    latest_status = latest.values("status")[:1]  # type: ignore[misc]
    queryset = (
        units.filter(needs_post_q(regions))
        .exclude(holds_post_q(regions))
        .annotate(region=_region_index(regions), nomination_status=Subquery(latest_status))
    )
    return Gaps(queryset, regions)


@dataclass(frozen=True)
class Gaps:
    units: QuerySet[Organization]
    regions: list[Region]

    def pack_title(self, unit: Organization) -> str:
        index = getattr(unit, "region", -1)
        return self.regions[index].pack.title if 0 <= index < len(self.regions) else ""


def subtree_tallies(
    roots: Sequence[Organization], regions: Sequence[Region], *, post: str, unit_kinds: Iterable[str]
) -> dict[int, Tally]:
    """Required/held per root over the units of ``unit_kinds`` in its subtree that ``regions`` govern.

    One query per distinct depth among the roots (a unit's ancestor at depth d is ``path[:steplen * d]``),
    so a page of 500 county bureaus costs one query.
    """
    governed = _nothing()
    for region in regions:
        governed |= region.q()
    by_depth: dict[int, list[Organization]] = defaultdict(list)
    for root in roots:
        by_depth[root.depth].append(root)
    result: dict[int, Tally] = {}
    for depth, members in by_depth.items():
        rows = (
            Organization.objects.filter(governed, is_active=True, kind__in=list(unit_kinds))
            .annotate(ancestor=_group(depth * STEP))
            .filter(ancestor__in=[m.path for m in members])
            .order_by()
            .values("ancestor")
            .annotate(required=Count("pk"), held=Count("pk", filter=Q(_active_holder(post))))
        )
        found = {r["ancestor"]: Tally(r["required"], r["held"]) for r in rows}
        result.update({m.pk: found.get(m.path, Tally()) for m in members})
    return result
