"""Reviewers and scores: assigning reviewers, scoring, and confirming the results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.models import RoleAssignment
from educio.accounts.roles import Perm
from educio.assessments import indicators, scoring
from educio.assessments.models import AssessmentCycle, AssessmentSubject, ReviewerAssignment, Score, SubjectStatus
from educio.assessments.selectors import REVIEWER_ROLES, eligible_reviewers
from educio.assessments.services._common import (
    COMMENT_MAX,
    SCORING_CYCLE_STATES,
    _locked_subject,
    _require,
    _today,
    parse_decimal,
)
from educio.audit.services import audited

SCORABLE = (SubjectStatus.NOT_STARTED, SubjectStatus.SELF_ASSESSED)


@dataclass(frozen=True)
class Assigned:
    created: int
    skipped: int


def reviewers_assign(
    *, actor: Any, cycle: AssessmentCycle, subject_ids: Iterable[int] | QuerySet[Any], reviewer: Any
) -> Assigned:
    """Assign ``reviewer`` to the chosen subjects of the cycle that lie in the reviewer's own area.

    ``subject_ids`` may be a queryset of ids (every subject a filter shows), used as a subquery.
    """
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权为该考核分配评审。"))
    if cycle.status not in SCORING_CYCLE_STATES:
        raise ValidationError(_("考核当前为“%(status)s”,不能分配评审。") % {"status": cycle.get_status_display()})
    if not eligible_reviewers(cycle).filter(pk=reviewer.pk).exists():
        raise ValidationError({"reviewer": _("该账号不是本考核可选的评审专家或审核员。")})
    wanted = subject_ids if isinstance(subject_ids, QuerySet) else sorted(set(subject_ids))
    areas = RoleAssignment.objects.filter(user=reviewer, role__in=REVIEWER_ROLES).values_list(
        "organization__path", flat=True
    )
    in_area = Q(pk__in=[])
    for path in areas:
        in_area |= Q(organization__path__startswith=path)
    chosen = AssessmentSubject.objects.filter(cycle=cycle, pk__in=wanted, status__in=SCORABLE).filter(in_area)
    taken = set(
        ReviewerAssignment.objects.filter(reviewer=reviewer, subject__in=chosen).values_list("subject_id", flat=True)
    )
    fresh = [pk for pk in chosen.values_list("pk", flat=True) if pk not in taken]
    with audited(actor):
        ReviewerAssignment.objects.bulk_create(
            [ReviewerAssignment(cycle=cycle, subject_id=pk, reviewer=reviewer, assigned_by=actor) for pk in fresh],
            ignore_conflicts=True,
        )
    requested = wanted.count() if isinstance(wanted, QuerySet) else len(wanted)
    return Assigned(created=len(fresh), skipped=requested - len(fresh))


def reviewer_unassign(*, actor: Any, assignment: ReviewerAssignment) -> None:
    """Withdraw an assignment; the reviewer's scores of that subject go with it (they no longer count)."""
    subject = assignment.subject
    _require(actor, Perm.ASSESSMENT_MANAGE, subject.cycle.organization, _("您无权调整该考核的评审。"))
    with audited(actor):
        locked = _locked_subject(subject)
        if locked.status not in SCORABLE:
            raise ValidationError(_("评审已完成,不能撤回评审人。"))
        Score.objects.filter(subject=locked, reviewer_id=assignment.reviewer_id).delete()
        assignment.delete()


def _check_scoring_window(subject: AssessmentSubject) -> None:
    if subject.cycle.status not in SCORING_CYCLE_STATES:
        raise ValidationError(_("考核当前为“%(status)s”,不能评分。") % {"status": subject.cycle.get_status_display()})
    if subject.status == SubjectStatus.SELF_ASSESSED:
        return
    if subject.status == SubjectStatus.NOT_STARTED and _today() > subject.self_deadline:
        return  # a unit that let its deadline pass is scored on what the reviewers find
    if subject.status == SubjectStatus.NOT_STARTED:
        raise ValidationError(_("该单位尚未提交自评,自评截止后才能评分。"))
    raise ValidationError(_("评审已完成(%(status)s),不能再修改评分。") % {"status": subject.get_status_display()})


def _assignment_of(actor: Any, subject: AssessmentSubject) -> ReviewerAssignment:
    _require(actor, Perm.ASSESSMENT_SCORE, subject.organization, _("您无权评审该单位。"))
    assignment = ReviewerAssignment.objects.filter(subject=subject, reviewer=actor).first()
    if assignment is None:
        raise ValidationError(_("您未被分配评审该对象。"))
    return assignment


def scores_save(*, actor: Any, subject: AssessmentSubject, values: Mapping[str, tuple[Any, str]]) -> AssessmentSubject:
    """Save the actor's scores: ``values`` maps each leaf id to (score as typed, comment); blank clears a score."""
    _assignment_of(actor, subject)
    errors: dict[str, str] = {}
    parsed: dict[str, tuple[Decimal | None, str]] = {}
    for leaf in indicators.leaves(subject.cycle.indicators):
        raw, comment = values.get(leaf.id, ("", ""))
        comment = (comment or "").strip()
        try:
            score = parse_decimal(raw, maximum=leaf.weight, label=_("“%s”的得分") % leaf.name)
        except ValidationError as exc:
            errors[f"score-{leaf.id}"] = exc.messages[0]
            continue
        if len(comment) > COMMENT_MAX:
            errors[f"comment-{leaf.id}"] = _("评审意见不能超过%(n)d字。") % {"n": COMMENT_MAX}
        parsed[leaf.id] = (score, comment)
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        locked = _locked_subject(subject)
        _check_scoring_window(locked)
        existing = {s.indicator_id: s for s in Score.objects.filter(subject=locked, reviewer=actor)}
        for indicator_id, (score, comment) in parsed.items():
            row = existing.get(indicator_id)
            if score is None:
                if row is not None:
                    row.delete()
                continue
            if row is not None and row.score == score and row.comment == comment:
                continue
            row = row or Score(subject=locked, indicator_id=indicator_id, reviewer=actor)
            row.score, row.comment = score, comment
            row.save()
    return locked


def _result_of(subject: AssessmentSubject, scores: Iterable[tuple[str, Decimal]]) -> scoring.Result:
    """The subject's total and grade, refused while any leaf has no score."""
    cycle = subject.cycle
    leaves = indicators.leaves(cycle.indicators)
    means = scoring.leaf_means(scores)
    total = scoring.total_of(leaves, means)
    if total is None:
        names = "、".join(leaf.name for leaf in scoring.unscored(leaves, means))
        raise ValidationError(_("以下指标尚无评分,不能确认评审结果:%(names)s。") % {"names": names})
    return scoring.grade_of(total, cycle.grades, cycle.pass_threshold)


def _apply_result(subject: AssessmentSubject, result: scoring.Result, actor: Any) -> None:
    subject.total, subject.grade, subject.passed = result.total, result.grade, result.passed
    subject.status = SubjectStatus.REVIEWED
    subject.reviewed_at, subject.reviewed_by = timezone.now(), actor


def _subject_scores(subject: AssessmentSubject) -> list[tuple[str, Decimal]]:
    return list(Score.objects.filter(subject=subject).values_list("indicator_id", "score"))


def scores_submit(*, actor: Any, subject: AssessmentSubject) -> AssessmentSubject:
    """提交评分: every leaf scored by the actor; once every reviewer has submitted, the result is computed."""
    assignment = _assignment_of(actor, subject)
    with audited(actor):
        locked = _locked_subject(subject)
        _check_scoring_window(locked)
        mine = set(Score.objects.filter(subject=locked, reviewer=actor).values_list("indicator_id", flat=True))
        missing = [leaf.name for leaf in indicators.leaves(locked.cycle.indicators) if leaf.id not in mine]
        if missing:
            raise ValidationError(_("以下指标尚未评分:%(names)s。") % {"names": "、".join(missing)})
        assignment.submitted_at = timezone.now()
        assignment.save()
        if not ReviewerAssignment.objects.filter(subject=locked, submitted_at__isnull=True).exists():
            _apply_result(locked, _result_of(locked, _subject_scores(locked)), actor)
            locked.save()
    return locked


def subject_mark_reviewed(*, actor: Any, subject: AssessmentSubject) -> AssessmentSubject:
    """确认评审结果 (the bureau): refused while any leaf has no score at all."""
    _require(actor, Perm.ASSESSMENT_MANAGE, subject.cycle.organization, _("您无权确认该评审结果。"))
    with audited(actor):
        locked = _locked_subject(subject)
        _check_scoring_window(locked)
        _apply_result(locked, _result_of(locked, _subject_scores(locked)), actor)
        locked.save()
    return locked


def cycle_mark_reviewed(*, actor: Any, cycle: AssessmentCycle) -> tuple[int, int]:
    """确认全部已评完的结果: every subject whose leaves are all scored; returns (confirmed, still incomplete)."""
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权确认该考核的评审结果。"))
    if cycle.status not in SCORING_CYCLE_STATES:
        raise ValidationError(_("考核当前为“%(status)s”,不能确认评审结果。") % {"status": cycle.get_status_display()})
    leaves = indicators.leaves(cycle.indicators)
    with audited(actor):
        candidates = list(
            AssessmentSubject.objects.select_for_update()
            .filter(cycle=cycle, status__in=SCORABLE)
            .filter(Q(status=SubjectStatus.SELF_ASSESSED) | Q(pk__in=_late_subjects(cycle)))
        )
        scores: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
        for subject_id, indicator_id, score in Score.objects.filter(subject__in=candidates).values_list(
            "subject_id", "indicator_id", "score"
        ):
            scores[subject_id].append((indicator_id, score))
        done = []
        for subject in candidates:
            total = scoring.total_of(leaves, scoring.leaf_means(scores[subject.pk]))
            if total is not None:
                subject.cycle = cycle
                _apply_result(subject, scoring.grade_of(total, cycle.grades, cycle.pass_threshold), actor)
                done.append(subject)
        fields = ["total", "grade", "passed", "status", "reviewed_at", "reviewed_by"]
        AssessmentSubject.objects.bulk_update(done, fields, batch_size=1000)
    return len(done), len(candidates) - len(done)


def _late_subjects(cycle: AssessmentCycle) -> Any:
    """Units that never submitted and whose deadline (extended or not) has passed."""
    today = _today()
    waiting = AssessmentSubject.objects.filter(cycle=cycle, status=SubjectStatus.NOT_STARTED)
    if cycle.self_deadline >= today:
        waiting = waiting.none()
    return waiting.filter(Q(extended_until__isnull=True) | Q(extended_until__lt=today)).values("pk")
