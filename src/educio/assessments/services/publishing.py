"""Publishing results and their consequences: the units' notices and the rectification orders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.assessments import indicators, scoring
from educio.assessments.models import AssessmentCycle, AssessmentSubject, CycleStatus, Score, SubjectStatus
from educio.assessments.services._common import SCORING_CYCLE_STATES, _require, _today
from educio.audit.services import audited
from educio.notifications.models import NotificationKind
from educio.notifications.selectors import unit_staff
from educio.notifications.services import Message, notifications_send
from educio.rectifications.services import order_open_for_result


def findings_for(subject: AssessmentSubject) -> str:
    """What went wrong, for the rectification order: the low-scoring leaves with the reviewers' comments."""
    cycle = subject.cycle
    leaves = indicators.leaves(cycle.indicators)
    rows = list(Score.objects.filter(subject=subject).values_list("indicator_id", "score", "comment"))
    means = scoring.leaf_means((i, s) for i, s, _c in rows)
    comments: dict[str, list[str]] = defaultdict(list)
    for indicator_id, _score, comment in rows:
        if comment:
            comments[indicator_id].append(comment)
    share = (cycle.pass_threshold or Decimal(60)) / 100
    lines = [
        _("总分 %(total)s,等级“%(grade)s”(合格分数线 %(line)s)。")
        % {"total": subject.total, "grade": subject.grade, "line": cycle.pass_threshold or "—"}
    ]
    for leaf in leaves:
        mean = means.get(leaf.id)
        if mean is None or mean >= leaf.weight * share:
            continue
        line = _("%(name)s:得分 %(score)s / %(max)s") % {
            "name": leaf.name,
            "score": scoring.rounded(mean),
            "max": scoring.rounded(leaf.weight),
        }
        if comments[leaf.id]:
            line += _(";评审意见:%(c)s") % {"c": ";".join(comments[leaf.id])}
        lines.append(f"{len(lines)}. {line}")
    return "\n".join(lines)


def _hand_to_rectification(actor: Any, subject: AssessmentSubject) -> bool:
    """A failing result of a cycle whose pack orders 限期整改 opens the order, once per subject."""
    cycle = subject.cycle
    if subject.passed is not False or not cycle.on_fail or subject.consequence_at is not None:
        return False
    order_open_for_result(
        actor=actor, subject=subject, findings=findings_for(subject), article=cycle.on_fail.get("citation", "")
    )
    subject.consequence_at = timezone.now()
    AssessmentSubject.objects.filter(pk=subject.pk).update(consequence_at=subject.consequence_at)
    return True


@dataclass(frozen=True)
class Published:
    published: int
    failing: int
    rectifications: int


def _tell_units_published(cycle: AssessmentCycle, subject_ids: list[int]) -> int:
    """The head and CIO of each assessed unit learn that their result is out (once per result)."""
    rows = list(AssessmentSubject.objects.filter(pk__in=subject_ids).values_list("pk", "organization_id"))
    staff = unit_staff(org_id for _pk, org_id in rows)
    title = _("考核结果已发布:%(cycle)s") % {"cycle": cycle.name}
    body = _("%(issuer)s已发布考核结果,请查看得分与等次;如有异议可在申诉截止日期前申诉一次。") % {
        "issuer": cycle.organization.name
    }
    messages = (
        Message(
            recipient_id=user_id,
            kind=NotificationKind.ASSESSMENT_RESULT,
            title=title,
            body=body,
            url=reverse("assessments:subject_detail", kwargs={"pk": pk}),
            organization_id=org_id,
            dedup_key=f"assessment:{pk}:published",
        )
        for pk, org_id in rows
        for user_id in staff.get(org_id, ())
    )
    return notifications_send(messages)


def cycle_publish(*, actor: Any, cycle: AssessmentCycle, appeal_deadline: date) -> Published:
    """发布结果: every reviewed subject becomes visible to its unit; failing ones go to rectification."""
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权发布该考核结果。"))
    if appeal_deadline < _today():
        raise ValidationError({"appeal_deadline": _("申诉截止日期不能早于今天。")})
    with audited(actor):
        locked = AssessmentCycle.objects.select_for_update(of=("self",)).select_related("organization").get(pk=cycle.pk)
        if locked.status not in (*SCORING_CYCLE_STATES, CycleStatus.PUBLISHED):
            raise ValidationError(_("考核当前为“%(status)s”,不能发布结果。") % {"status": locked.get_status_display()})
        reviewed = AssessmentSubject.objects.filter(cycle=locked, status=SubjectStatus.REVIEWED)
        ids = list(reviewed.values_list("pk", flat=True))
        if not ids:
            raise ValidationError(_("没有已确认评审结果的考核对象,无法发布。"))
        now = timezone.now()
        AssessmentSubject.objects.filter(pk__in=ids).update(status=SubjectStatus.PUBLISHED, published_at=now)
        locked.status = CycleStatus.PUBLISHED
        locked.published_at = locked.published_at or now
        locked.appeal_deadline = appeal_deadline
        locked.save()
        failing = list(
            AssessmentSubject.objects.filter(pk__in=ids, passed=False)
            .select_related("cycle", "organization", "person")
            .order_by("organization__path")
        )
        opened = sum(_hand_to_rectification(actor, s) for s in failing)
        _tell_units_published(locked, ids)
    return Published(published=len(ids), failing=len(failing), rectifications=opened)
