"""The unit's self-assessment and evidence files, and one unit's extension of the deadline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.assessments import indicators
from educio.assessments.models import AssessmentSubject, EvidenceFile, SelfAssessmentItem, SubjectStatus
from educio.assessments.services._common import (
    FILES_PER_INDICATOR,
    SCORING_CYCLE_STATES,
    TEXT_MAX,
    _locked_subject,
    _require,
    _today,
    chinese_date,
    parse_decimal,
)
from educio.assessments.uploads import check_evidence
from educio.audit.services import audited


def _check_self_window(subject: AssessmentSubject) -> None:
    if subject.cycle.status not in SCORING_CYCLE_STATES:
        raise ValidationError(
            _("考核当前为“%(status)s”,不能填报自评。") % {"status": subject.cycle.get_status_display()}
        )
    if subject.status != SubjectStatus.NOT_STARTED:
        raise ValidationError(_("自评已提交(%(status)s),不能再修改。") % {"status": subject.get_status_display()})
    if _today() > subject.self_deadline:
        raise ValidationError(
            _("自评已于%(date)s截止,逾期不能填报;如需延期,请联系组织考核的单位。")
            % {"date": chinese_date(subject.self_deadline)}
        )


def self_assessment_save(
    *, actor: Any, subject: AssessmentSubject, entries: Mapping[str, tuple[str, Any]]
) -> AssessmentSubject:
    """Save the draft: ``entries`` maps each leaf id to (text, self score as typed)."""
    _require(actor, Perm.ASSESSMENT_SUBMIT, subject.organization, _("您无权填报该单位的自评。"))
    errors: dict[str, str] = {}
    values: dict[str, tuple[str, Decimal | None]] = {}
    for leaf in indicators.leaves(subject.cycle.indicators):
        text, raw = entries.get(leaf.id, ("", ""))
        text = (text or "").strip()
        if len(text) > TEXT_MAX:
            errors[f"text-{leaf.id}"] = _("“%(name)s”的自评说明不能超过%(n)d字。") % {"name": leaf.name, "n": TEXT_MAX}
        try:
            score = parse_decimal(raw, maximum=leaf.weight, label=_("“%s”的自评分") % leaf.name)
        except ValidationError as exc:
            errors[f"score-{leaf.id}"] = exc.messages[0]
            score = None
        values[leaf.id] = (text, score)
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        locked = _locked_subject(subject)
        _check_self_window(locked)
        existing = {i.indicator_id: i for i in SelfAssessmentItem.objects.filter(subject=locked)}
        for indicator_id, (text, score) in values.items():
            item = existing.get(indicator_id)
            if item is None and not text and score is None:
                continue
            item = item or SelfAssessmentItem(subject=locked, indicator_id=indicator_id)
            if item.pk and item.text == text and item.self_score == score:
                continue
            item.text, item.self_score, item.updated_by = text, score, actor
            item.save()
    return locked


def self_assessment_submit(*, actor: Any, subject: AssessmentSubject) -> AssessmentSubject:
    """提交自评 before the deadline (or the extension), with an account of every leaf."""
    _require(actor, Perm.ASSESSMENT_SUBMIT, subject.organization, _("您无权提交该单位的自评。"))
    with audited(actor):
        locked = _locked_subject(subject)
        _check_self_window(locked)
        written = set(
            SelfAssessmentItem.objects.filter(subject=locked).exclude(text="").values_list("indicator_id", flat=True)
        )
        missing = [leaf.name for leaf in indicators.leaves(locked.cycle.indicators) if leaf.id not in written]
        if missing:
            raise ValidationError(_("以下指标尚未填写自评说明:%(names)s。") % {"names": "、".join(missing)})
        locked.status = SubjectStatus.SELF_ASSESSED
        locked.self_submitted_at = timezone.now()
        locked.self_submitted_by = actor
        locked.save()
    return locked


def evidence_add(*, actor: Any, subject: AssessmentSubject, indicator_id: str, upload: Any) -> EvidenceFile:
    """Attach a supporting file to one leaf while the self-assessment is open."""
    _require(actor, Perm.ASSESSMENT_SUBMIT, subject.organization, _("您无权为该单位上传材料。"))
    if indicator_id not in {leaf.id for leaf in indicators.leaves(subject.cycle.indicators)}:
        raise ValidationError(_("请选择要上传材料的指标。"))
    original = check_evidence(upload)
    with audited(actor):
        locked = _locked_subject(subject)
        _check_self_window(locked)
        if EvidenceFile.objects.filter(subject=locked, indicator_id=indicator_id).count() >= FILES_PER_INDICATOR:
            raise ValidationError(_("每项指标最多上传%(n)d个材料。") % {"n": FILES_PER_INDICATOR})
        return EvidenceFile.objects.create(
            subject=locked,
            indicator_id=indicator_id,
            file=upload,
            original_name=original,
            size=upload.size,
            uploaded_by=actor,
        )


def evidence_remove(*, actor: Any, evidence: EvidenceFile) -> None:
    _require(actor, Perm.ASSESSMENT_SUBMIT, evidence.subject.organization, _("您无权删除该材料。"))
    with audited(actor):
        locked = _locked_subject(evidence.subject)
        _check_self_window(locked)
        stored = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: stored.storage.delete(stored.name))


def subject_extend(*, actor: Any, subject: AssessmentSubject, until: date) -> AssessmentSubject:
    """延期: let one unit self-assess after the cycle's deadline, up to ``until``."""
    _require(actor, Perm.ASSESSMENT_MANAGE, subject.cycle.organization, _("您无权为该单位延期。"))
    if until < _today():
        raise ValidationError({"until": _("延期日期不能早于今天。")})
    with audited(actor):
        locked = _locked_subject(subject)
        if locked.cycle.status not in SCORING_CYCLE_STATES or locked.status != SubjectStatus.NOT_STARTED:
            raise ValidationError(_("只有尚未提交自评的单位可以延期。"))
        if until <= locked.cycle.self_deadline:
            raise ValidationError({"until": _("延期日期须晚于考核的自评截止日期。")})
        locked.extended_until = until
        locked.save()
    return locked
