"""Reads of templates, cycles, subjects and review tasks, always scoped to the requesting user.

- Templates and cycles belong to the bureau that made them; they are visible in
  that bureau's subtree (the units they concern) and above it.
- A subject (one assessed unit) is visible where the unit is in scope.
- An expert holds no right to view assessments at all: it sees the subjects it
  is assigned to score (``review_subjects``), nothing else. Bureau staff who
  manage the cycle see every subject of it on the review pages too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from educio.accounts.models import RoleAssignment, User
from educio.accounts.roles import Perm, Role
from educio.accounts.scope import covers, filter_in_scope, is_global, scope_paths, scope_q
from educio.assessments.indicators import Leaf, leaves
from educio.assessments.models import (
    PROGRESS_STATUSES,
    AssessmentCycle,
    AssessmentSubject,
    EvidenceFile,
    IndicatorTemplate,
    ReviewerAssignment,
    Score,
    SelfAssessmentItem,
    SubjectStatus,
)
from educio.assessments.scoring import rounded
from educio.orgs.models import Organization
from educio.policies.models import PolicyPack
from educio.policies.selectors import ancestor_paths, loaded_pack

REVIEWER_ROLES = (Role.EXPERT, Role.BUREAU_REVIEWER)


def _in_scope_or_above(user: Any, perm: str, path_field: str) -> Q:
    """Rows of units in the user's scope, or of the units above it (what governs the user)."""
    if is_global(user, perm):
        return Q()
    above = sorted({p for path in scope_paths(user, perm) for p in ancestor_paths(path, include_self=False)})
    return Q(**{f"{path_field}__in": above}) | scope_q(user, perm, path_field)


# --- templates ---------------------------------------------------------------------------------


def template_list(*, user: Any) -> QuerySet[IndicatorTemplate]:
    queryset = IndicatorTemplate.objects.select_related("organization", "based_on", "created_by")
    return queryset.filter(_in_scope_or_above(user, Perm.ASSESSMENT_VIEW, "organization__path"))


def template_get(*, user: Any, pk: int, manage: bool = False) -> IndicatorTemplate:
    """A template the user may read (or, with ``manage``, edit: one of a bureau they manage), else 404."""
    if manage:
        queryset = filter_in_scope(
            IndicatorTemplate.objects.select_related("organization"), user, Perm.ASSESSMENT_MANAGE, "organization"
        )
        return get_object_or_404(queryset, pk=pk)
    return get_object_or_404(template_list(user=user), pk=pk)


def templates_usable_at(organization: Organization, pack_id: str) -> QuerySet[IndicatorTemplate]:
    """Templates a cycle organised at ``organization`` may use: its own and those of the bureaus above it."""
    return IndicatorTemplate.objects.filter(
        organization__path__in=ancestor_paths(organization.path), pack_id=pack_id
    ).select_related("organization")


# --- cycles ------------------------------------------------------------------------------------


def cycle_list(*, user: Any) -> QuerySet[AssessmentCycle]:
    """Cycles organised in the user's scope or above it, with how many of their subjects the user sees."""
    visible_subjects = scope_q(user, Perm.ASSESSMENT_VIEW, "subjects__organization__path") & ~Q(
        subjects__status=SubjectStatus.VACANT
    )
    return (
        AssessmentCycle.objects.filter(_in_scope_or_above(user, Perm.ASSESSMENT_VIEW, "organization__path"))
        .select_related("organization", "template")
        .annotate(subject_count=Count("subjects", filter=visible_subjects))
    )


def cycle_get(*, user: Any, pk: int, manage: bool = False) -> AssessmentCycle:
    """A cycle the user may see (or, with ``manage``, one organised by a bureau they manage), else 404."""
    queryset = AssessmentCycle.objects.select_related("organization", "template")
    if manage:
        return get_object_or_404(filter_in_scope(queryset, user, Perm.ASSESSMENT_MANAGE, "organization"), pk=pk)
    return get_object_or_404(
        queryset.filter(_in_scope_or_above(user, Perm.ASSESSMENT_VIEW, "organization__path")), pk=pk
    )


def can_manage(user: Any, cycle: AssessmentCycle) -> bool:
    return covers(user, Perm.ASSESSMENT_MANAGE, cycle.organization)


# --- subjects ----------------------------------------------------------------------------------


def _subjects() -> QuerySet[AssessmentSubject]:
    return AssessmentSubject.objects.select_related("cycle__organization", "organization", "person")


def subject_list(*, user: Any, perm: str = Perm.ASSESSMENT_VIEW) -> QuerySet[AssessmentSubject]:
    return filter_in_scope(_subjects(), user, perm, "organization")


def subject_get(*, user: Any, pk: int, perm: str = Perm.ASSESSMENT_VIEW) -> AssessmentSubject:
    return get_object_or_404(subject_list(user=user, perm=perm), pk=pk)


def subject_manage_get(*, user: Any, pk: int) -> AssessmentSubject:
    """A subject of a cycle organised by a bureau the user manages, else 404."""
    queryset = filter_in_scope(_subjects(), user, Perm.ASSESSMENT_MANAGE, "cycle__organization")
    return get_object_or_404(queryset, pk=pk)


def review_subjects(*, user: Any) -> QuerySet[AssessmentSubject]:
    """Subjects the user scores (assigned, and still in their scoring scope) or manages as the organiser."""
    if is_global(user, Perm.ASSESSMENT_MANAGE):
        return _subjects()  # an empty Q() would vanish from the OR below instead of matching everything
    assigned = Q(pk__in=ReviewerAssignment.objects.filter(reviewer=user).values("subject_id")) & scope_q(
        user, Perm.ASSESSMENT_SCORE, "organization__path"
    )
    managed = scope_q(user, Perm.ASSESSMENT_MANAGE, "cycle__organization__path")
    return _subjects().filter(assigned | managed)


def review_subject_get(*, user: Any, pk: int) -> AssessmentSubject:
    return get_object_or_404(review_subjects(user=user), pk=pk)


def assignment_list(*, user: Any) -> QuerySet[ReviewerAssignment]:
    """我的评审任务: the user's own assignments whose unit is still in their scoring scope."""
    return (
        ReviewerAssignment.objects.filter(reviewer=user)
        .filter(scope_q(user, Perm.ASSESSMENT_SCORE, "subject__organization__path"))
        .select_related(
            "cycle__organization", "subject__cycle__organization", "subject__organization", "subject__person"
        )
    )


def my_assignment(user: Any, subject: AssessmentSubject) -> ReviewerAssignment | None:
    return ReviewerAssignment.objects.filter(subject=subject, reviewer=user).first()


def evidence_get(*, user: Any, pk: int, perm: str = Perm.ASSESSMENT_VIEW) -> EvidenceFile:
    queryset = filter_in_scope(
        EvidenceFile.objects.select_related("subject__organization", "subject__cycle"),
        user,
        perm,
        "subject__organization",
    )
    return get_object_or_404(queryset, pk=pk)


def review_evidence_get(*, user: Any, pk: int) -> EvidenceFile:
    subjects = review_subjects(user=user).values("pk")
    queryset = EvidenceFile.objects.select_related("subject__organization").filter(subject_id__in=subjects)
    return get_object_or_404(queryset, pk=pk)


def eligible_reviewers(cycle: AssessmentCycle) -> QuerySet[User]:
    """Experts and bureau reviewers holding their role in the organiser's subtree or above it."""
    path = cycle.organization.path
    roles = RoleAssignment.objects.filter(role__in=REVIEWER_ROLES).filter(
        Q(organization__path__startswith=path) | Q(organization__path__in=ancestor_paths(path))
    )
    return User.objects.filter(is_active=True, pk__in=roles.values("user_id")).order_by("full_name", "username")


# --- what a cycle looks like from where the user stands -----------------------------------------


@dataclass
class BranchProgress:
    """A child unit of the organiser (a county for a city's cycle) and its subjects by status."""

    unit: Organization | None
    counts: dict[str, int] = field(default_factory=dict)
    average: Decimal | None = None
    passed: int = 0
    failed: int = 0

    @property
    def assessed(self) -> int:
        return sum(self.counts.get(s, 0) for s in PROGRESS_STATUSES)

    @property
    def vacant(self) -> int:
        return self.counts.get(SubjectStatus.VACANT, 0)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(status, count) in the order of the stages, for a table row."""
        return [(str(s), self.count(s)) for s in PROGRESS_STATUSES]


def progress_by_branch(*, user: Any, cycle: AssessmentCycle) -> list[BranchProgress]:
    """Subjects the user sees, counted by the organiser's child unit they lie under (three queries)."""
    prefix = len(cycle.organization.path) + Organization.steplen
    subjects = subject_list(user=user).filter(cycle=cycle).annotate(branch=Substr("organization__path", 1, prefix))
    rows: dict[str, BranchProgress] = defaultdict(lambda: BranchProgress(unit=None))
    for row in subjects.values("branch", "status").annotate(n=Count("pk")).order_by():
        rows[row["branch"]].counts[row["status"]] = row["n"]
    results = subjects.values("branch").annotate(
        average=Avg("total"), n_passed=Count("pk", filter=Q(passed=True)), n_failed=Count("pk", filter=Q(passed=False))
    )
    for row in results.order_by():
        branch = rows[row["branch"]]
        branch.average = rounded(Decimal(str(row["average"]))) if row["average"] is not None else None
        branch.passed, branch.failed = row["n_passed"], row["n_failed"]
    units = {o.path: o for o in Organization.objects.filter(path__in=list(rows))}
    for path, branch in rows.items():
        branch.unit = units.get(path)
    return sorted(rows.values(), key=lambda b: b.unit.path if b.unit else "")


def grade_counts(*, user: Any, cycle: AssessmentCycle) -> list[tuple[str, int]]:
    """Reviewed results the user sees, by grade, in the cycle's grade order."""
    counted = dict(
        subject_list(user=user)
        .filter(cycle=cycle, total__isnull=False)
        .values_list("grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    order = [str(g["name"]) for g in cycle.grades] or sorted(counted)
    return [(name, counted.get(name, 0)) for name in order] + [
        (name, n) for name, n in counted.items() if name not in order
    ]


def citations(pack_version_id: int) -> dict[str, str]:
    """Article ids of a stored pack version and how they are cited (第三条第1款)."""
    try:
        pack = loaded_pack(pack_version_id)
    except PolicyPack.DoesNotExist:
        return {}
    return {a.id: a.citation for a in pack.spec.articles}


# --- one subject, leaf by leaf ------------------------------------------------------------------


def result_visible(user: Any, subject: AssessmentSubject) -> bool:
    """Scores and totals: the unit sees them once published; bureau staff and reviewers before."""
    return (
        subject.has_result
        or covers(user, Perm.ASSESSMENT_MANAGE, subject.cycle.organization)
        or covers(user, Perm.ASSESSMENT_SCORE, subject.organization)
    )


@dataclass
class LeafSheet:
    """One leaf indicator of a subject: what the unit wrote and uploaded, and the scores it got."""

    leaf: Leaf
    citation: str
    item: SelfAssessmentItem | None
    files: list[EvidenceFile]
    scores: list[Score]
    form: dict[str, Any] = field(default_factory=dict)  # what a form page shows in its inputs, and their errors

    @property
    def mean(self) -> Decimal | None:
        if not self.scores:
            return None
        return rounded(sum((s.score for s in self.scores), Decimal(0)) / len(self.scores))


@dataclass
class Group:
    """A first-level indicator and the leaves under it (a first-level leaf is its own group)."""

    name: str
    weight: Any
    leaves: list[LeafSheet]


def subject_sheet(subject: AssessmentSubject, *, reviewer: Any = None) -> list[Group]:
    """The subject's leaves with items, files and scores (only ``reviewer``'s when given); four queries."""
    items = {i.indicator_id: i for i in SelfAssessmentItem.objects.filter(subject=subject)}
    files: dict[str, list[EvidenceFile]] = defaultdict(list)
    for f in EvidenceFile.objects.filter(subject=subject).select_related("uploaded_by"):
        files[f.indicator_id].append(f)
    scores: dict[str, list[Score]] = defaultdict(list)
    score_rows = Score.objects.filter(subject=subject).select_related("reviewer").order_by("reviewer_id")
    if reviewer is not None:
        score_rows = score_rows.filter(reviewer=reviewer)
    for s in score_rows:
        scores[s.indicator_id].append(s)
    cited = citations(subject.cycle.pack_version_id)
    groups = []
    for node in subject.cycle.indicators:
        sheets = [
            LeafSheet(leaf, cited.get(leaf.article, ""), items.get(leaf.id), files[leaf.id], scores[leaf.id])
            for leaf in leaves([node])
        ]
        groups.append(Group(node["name"], node["weight"], sheets))
    return groups
