"""Appeals: a unit's one appeal against a published result, and the organiser's decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.assessments import scoring
from educio.assessments.models import Appeal, AppealDecision, AssessmentSubject, SubjectStatus
from educio.assessments.services._common import REASONS_MAX, _locked_subject, _require, _today, parse_decimal
from educio.assessments.services.publishing import _hand_to_rectification
from educio.audit.services import audited
from educio.rectifications.services import orders_cancel_for_result


def appeal_submit(*, actor: Any, subject: AssessmentSubject, reasons: str) -> Appeal:
    """申诉: once per result, with reasons, before the cycle's appeal deadline."""
    _require(actor, Perm.ASSESSMENT_SUBMIT, subject.organization, _("您无权为该单位申诉。"))
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("请填写申诉理由。")})
    if len(reasons) > REASONS_MAX:
        raise ValidationError({"reasons": _("申诉理由不能超过%(n)d字。") % {"n": REASONS_MAX}})
    with audited(actor):
        locked = _locked_subject(subject)
        if Appeal.objects.filter(subject=locked).exists():
            raise ValidationError(_("每个考核结果只能申诉一次,该结果已申诉过。"))
        if locked.status != SubjectStatus.PUBLISHED:
            raise ValidationError(_("只有已发布的考核结果可以申诉。"))
        deadline = locked.cycle.appeal_deadline
        if deadline is None or _today() > deadline:
            raise ValidationError(_("申诉期已结束,不能再申诉。"))
        appeal = Appeal.objects.create(
            subject=locked,
            reasons=reasons,
            submitted_by=actor,
            previous_total=locked.total,
            previous_grade=locked.grade,
        )
        locked.status = SubjectStatus.APPEALED
        locked.save()
    return appeal


def appeal_decide(*, actor: Any, appeal: Appeal, decision: str, note: str, new_total: Any = None) -> Appeal:
    """The bureau upholds the result or changes the total (the grade follows the cycle's rules)."""
    subject = appeal.subject
    _require(actor, Perm.ASSESSMENT_MANAGE, subject.cycle.organization, _("您无权处理该申诉。"))
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if decision not in AppealDecision.values:
        errors["decision"] = _("请选择处理结果。")
    if not note:
        errors["note"] = _("请填写处理意见。")
    total = None
    if decision == AppealDecision.CHANGED:
        try:
            total = parse_decimal(new_total, maximum=Decimal(100), label=_("变更后总分"))
        except ValidationError as exc:
            errors["new_total"] = exc.messages[0]
        if total is None and "new_total" not in errors:
            errors["new_total"] = _("变更结果时请填写变更后的总分。")
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        locked_subject = _locked_subject(subject)
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.is_decided:
            raise ValidationError(_("该申诉已处理。"))
        if total is not None:
            cycle = locked_subject.cycle
            result = scoring.grade_of(total, cycle.grades, cycle.pass_threshold)
            locked_subject.total, locked_subject.grade, locked_subject.passed = total, result.grade, result.passed
            locked.new_total, locked.new_grade = total, result.grade
        locked.decision, locked.decision_note = decision, note[:REASONS_MAX]
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save()
        locked_subject.status = SubjectStatus.PUBLISHED
        locked_subject.save()
        if locked_subject.passed and locked_subject.consequence_at is not None:
            orders_cancel_for_result(
                actor=actor, subject=locked_subject, reason=_("申诉后结果改为合格:%(note)s") % {"note": note[:200]}
            )
        _hand_to_rectification(actor, locked_subject)
    return locked
