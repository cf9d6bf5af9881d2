"""Every transition of a review process, each one audited transaction.

The state machine (``ProcessState`` / ``StepState``)::

    draft --submit--> in_review --approve (last step)--> approved
                        |  \\--approve--> in_review (next step pending)
                        |   \\--reject--> rejected
                        |    \\--return--> returned --resubmit--> in_review (new round)
    draft / returned / in_review (nothing decided this round) --withdraw--> withdrawn

Concurrency: every transition first locks the process row (``SELECT ... FOR
UPDATE`` on PostgreSQL; on SQLite the settings open every transaction with
``BEGIN IMMEDIATE``, which serialises writers) and re-reads the state under
that lock. Two reviewers deciding the same step at the same moment therefore
queue on the lock; the second one finds the step decided and is refused with
who decided it and when, and nothing of theirs is written. The database adds
its own guards (one decision per step, one pending step per process).

Side effects (notifications, subject updates) are announced by
``signals.workflow_event`` after the commit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from educio.accounts.scope import covers
from educio.audit.services import audited
from educio.orgs.models import Organization
from educio.workflow.models import (
    DECIDED_STEP_STATES,
    Decision,
    ProcessKind,
    ProcessState,
    ReviewProcess,
    ReviewStep,
    StepState,
)
from educio.workflow.permissions import SUBMIT_PERM
from educio.workflow.resolution import is_eligible_reviewer, resolve_chain
from educio.workflow.signals import EventKind, WorkflowEvent, emit_on_commit
from educio.workflow.spec import ChainSpec

OPINION_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500


def _when(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "Y年n月j日 H:i")


def _lock(process_id: int) -> ReviewProcess:
    """The process row, locked for the rest of the transaction (the organisation row is not locked)."""
    return ReviewProcess.objects.select_for_update(of=("self",)).select_related("organization").get(pk=process_id)


def is_submitter(actor: Any, process: ReviewProcess) -> bool:
    """The person who started the process, while still holding a role over the submitting unit."""
    return process.created_by_id == actor.pk and covers(actor, SUBMIT_PERM, process.organization)


def withdrawable(process: ReviewProcess, *, decided_in_round: bool) -> bool:
    """A process can be withdrawn until it is closed, unless a reviewer has already decided in this round."""
    return not process.is_closed and not (process.state == ProcessState.IN_REVIEW and decided_in_round)


def _require_submitter(actor: Any, process: ReviewProcess) -> None:
    if not is_submitter(actor, process):
        raise PermissionDenied(_("只有发起人可以报送、重新报送或撤回该事项。"))


def _open_round(process: ReviewProcess, now: Any) -> list[ReviewStep]:
    """Create the steps of ``process.round`` from its chain snapshot: the first pending, the rest waiting.

    The acting units are resolved against the tree as it is now, so a unit
    moved to another county since the last round is reviewed by its new county.
    """
    resolved = resolve_chain(organization=process.organization, chain=process.chain)
    steps = []
    for item in resolved:
        first = item.index == 0
        deadline = item.spec.deadline_days
        steps.append(
            ReviewStep.objects.create(
                process=process,
                round=process.round,
                index=item.index,
                step_id=item.spec.id[:64],
                name=item.spec.name[:120],
                acting_organization=item.organization,
                level=item.spec.actor.level,
                role=item.spec.actor.role,
                body=(item.spec.actor.body or "")[:80],
                article=(item.spec.article or "")[:80],
                opinion_required=item.opinion_required,
                seal_required=item.spec.seal,
                deadline_days=deadline,
                state=StepState.PENDING if first else StepState.WAITING,
                activated_at=now if first else None,
                due_at=now + timedelta(days=deadline) if first and deadline else None,
            )
        )
    return steps


def _activate(step: ReviewStep, now: Any) -> None:
    step.state = StepState.PENDING
    step.activated_at = now
    step.due_at = now + timedelta(days=step.deadline_days) if step.deadline_days else None
    step.save(update_fields=["state", "activated_at", "due_at"])


def _skip_rest(process: ReviewProcess) -> None:
    """Steps of the current round that will not be reached any more are kept, marked skipped."""
    for step in ReviewStep.objects.filter(
        process=process, round=process.round, state__in=[StepState.WAITING, StepState.PENDING]
    ).select_related("process__organization"):
        step.state = StepState.SKIPPED
        step.save(update_fields=["state"])


def process_start(
    *,
    actor: Any,
    organization: Organization,
    chain: ChainSpec,
    kind: str,
    title: str,
    subject: Model | None = None,
    pack_version_id: int | None = None,
    pack_ref: str = "",
) -> ReviewProcess:
    """Open a draft review of ``subject`` by ``organization`` through ``chain`` (copied, not referenced).

    The chain is resolved against the tree now as well, so a unit with a
    missing level (e.g. no county bureau above a city-direct school) learns it
    before filling anything in.
    """
    if not covers(actor, SUBMIT_PERM, organization):
        raise PermissionDenied(_("您无权以“%(org)s”的名义发起审核。") % {"org": organization.name})
    if kind not in ProcessKind.values:
        raise ValidationError({"kind": _("未知的审核事项类别“%(kind)s”。") % {"kind": kind}})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写事项标题。")})
    if subject is not None and subject.pk is None:
        raise ValidationError(_("审核事项须先保存。"))
    resolve_chain(organization=organization, chain=chain)
    with audited(actor):
        return ReviewProcess.objects.create(
            subject=subject,
            kind=kind,
            title=title[:200],
            organization=organization,
            chain_id=chain.id[:64],
            chain_name=chain.name[:120],
            chain_snapshot=chain.model_dump(mode="json"),
            pack_version_id=pack_version_id,
            pack_ref=pack_ref,
            created_by=actor,
        )


def process_start_from_pack(
    *,
    actor: Any,
    organization: Organization,
    chain_id: str,
    kind: str,
    title: str,
    subject: Model | None = None,
) -> ReviewProcess:
    """``process_start`` with the chain ``chain_id`` of the unit's effective policy pack.

    The process remembers the pack version (row id, and ``pack_id@version``)
    beside its own copy of the chain.
    """
    from educio.policies.selectors import effective_pack  # the engine itself does not need the policies app

    pack = effective_pack(organization)
    if pack is None:
        raise ValidationError(
            _("单位“%(org)s”及其上级单位尚未采用制度方案,无法确定审核流程。") % {"org": organization.name}
        )
    chain = pack.review_chain(chain_id)
    if chain is None:
        raise ValidationError(
            _("单位“%(org)s”采用的制度方案中没有审核流程“%(chain)s”。") % {"org": organization.name, "chain": chain_id}
        )
    chain = _with_citations(pack, chain)
    return process_start(
        actor=actor,
        organization=organization,
        chain=chain,
        kind=kind,
        title=title,
        subject=subject,
        pack_version_id=pack.pk,
        pack_ref=f"{pack.pack_id}@{pack.version}"[:120],
    )


def _with_citations(pack: Any, chain: ChainSpec) -> ChainSpec:
    """Article ids of the pack (``art_annex_1``) become the printed numbers (附件1) the timeline shows."""

    def cite(article_id: str | None) -> str | None:
        article = pack.article(article_id)
        return article.citation if article else article_id

    steps = tuple(s.model_copy(update={"article": cite(s.article)}) for s in chain.steps)
    return chain.model_copy(update={"article": cite(chain.article), "steps": steps})


def process_submit(*, actor: Any, process: ReviewProcess) -> ReviewProcess:
    """Send a draft into review: round 1 begins, its first step waits for a decision."""
    now = timezone.now()
    with audited(actor):
        locked = _lock(process.pk)
        _require_submitter(actor, locked)
        if locked.state != ProcessState.DRAFT:
            raise ValidationError(
                _("该事项已报送(当前状态:%(state)s),不能再次报送。") % {"state": locked.get_state_display()}
            )
        locked.round = 1
        locked.current_index = 0
        locked.state = ProcessState.IN_REVIEW
        locked.submitted_by = actor
        locked.submitted_at = locked.last_submitted_at = now
        locked.save()
        steps = _open_round(locked, now)
        emit_on_commit(
            WorkflowEvent(EventKind.SUBMITTED, locked.pk, None, actor.pk),
            WorkflowEvent(EventKind.STEP_ACTIVATED, locked.pk, steps[0].pk, actor.pk),
        )
    return locked


def process_resubmit(*, actor: Any, process: ReviewProcess) -> ReviewProcess:
    """After a return for revision: a new round from the first step; earlier rounds stay as they were."""
    now = timezone.now()
    with audited(actor):
        locked = _lock(process.pk)
        _require_submitter(actor, locked)
        if locked.state != ProcessState.RETURNED:
            raise ValidationError(
                _("只有退回修改的事项可以重新报送(当前状态:%(state)s)。") % {"state": locked.get_state_display()}
            )
        locked.round += 1
        locked.current_index = 0
        locked.state = ProcessState.IN_REVIEW
        locked.last_submitted_at = now
        locked.save()
        steps = _open_round(locked, now)
        emit_on_commit(
            WorkflowEvent(EventKind.RESUBMITTED, locked.pk, None, actor.pk),
            WorkflowEvent(EventKind.STEP_ACTIVATED, locked.pk, steps[0].pk, actor.pk),
        )
    return locked


def process_withdraw(*, actor: Any, process: ReviewProcess, reason: str = "") -> ReviewProcess:
    """The submitter takes the process back: a draft, a returned one, or one nobody has decided on this round."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("撤回理由不能超过%(n)d个字。") % {"n": REASON_MAX_LENGTH}})
    with audited(actor):
        locked = _lock(process.pk)
        _require_submitter(actor, locked)
        decided = ReviewStep.objects.filter(process=locked, round=locked.round, state__in=DECIDED_STEP_STATES)
        if not withdrawable(locked, decided_in_round=decided.exists()):
            if locked.is_closed:
                raise ValidationError(_("该事项已办结(%(state)s),不能撤回。") % {"state": locked.get_state_display()})
            raise ValidationError(_("本轮已有审核单位作出审核意见,不能撤回。"))
        _skip_rest(locked)
        locked.state = ProcessState.WITHDRAWN
        locked.closed_at = timezone.now()
        locked.withdraw_reason = reason
        locked.save()
        emit_on_commit(WorkflowEvent(EventKind.WITHDRAWN, locked.pk, None, actor.pk))
    return locked


def already_handled_message(step: ReviewStep) -> str:
    if step.state in DECIDED_STEP_STATES and step.decided_at is not None:
        return _("该步骤已由%(who)s于%(when)s处理(%(decision)s),不能重复审核。") % {
            "who": step.decided_by,
            "when": _when(step.decided_at),
            "decision": step.get_state_display(),
        }
    if step.state == StepState.WAITING:
        return _("该步骤尚未轮到审核。")
    return _("该步骤已无需审核(事项已退回、撤回或办结)。")


def step_decide(*, actor: Any, step: ReviewStep, decision: str, opinion: str = "", seal: bool = False) -> ReviewStep:
    """Record one reviewer's decision on a pending step: approve, return for revision, or reject.

    Only a holder of the step's role at its acting unit may decide
    (``PermissionDenied`` otherwise). Exactly one decision per step is ever
    recorded: a decision arriving after another one — even a millisecond later
    — is refused with a ``ValidationError`` naming who decided and when.
    """
    try:
        chosen = Decision(decision)
    except ValueError:
        raise ValidationError({"decision": _("请选择审核结论。")}) from None
    if not is_eligible_reviewer(actor, step):
        raise PermissionDenied(_("您不是该步骤的审核人。"))
    opinion = (opinion or "").strip()
    now = timezone.now()
    with audited(actor):
        process = _lock(step.process_id)
        current = ReviewStep.objects.select_for_update().get(pk=step.pk)
        if current.state != StepState.PENDING or process.state != ProcessState.IN_REVIEW:
            raise ValidationError(already_handled_message(current))
        _check_decision(current, chosen, opinion, seal)
        current.process = process
        current.state = chosen.step_state
        current.decided_by = actor
        current.decided_at = now
        current.opinion = opinion
        current.seal_recorded = bool(seal) and current.seal_required and chosen == Decision.APPROVE
        current.save(update_fields=["state", "decided_by", "decided_at", "opinion", "seal_recorded"])
        events = [WorkflowEvent(EventKind.STEP_DECIDED, process.pk, current.pk, actor.pk)]
        if chosen == Decision.APPROVE:
            following = (
                ReviewStep.objects.select_for_update()
                .filter(process=process, round=process.round, index=current.index + 1)
                .first()
            )
            if following is not None:
                following.process = process
                _activate(following, now)
                process.current_index = following.index
                events.append(WorkflowEvent(EventKind.STEP_ACTIVATED, process.pk, following.pk, actor.pk))
            else:
                process.state = ProcessState.APPROVED
                process.closed_at = now
                events.append(WorkflowEvent(EventKind.APPROVED, process.pk, current.pk, actor.pk))
        else:
            _skip_rest(process)
            if chosen == Decision.RETURN:
                process.state = ProcessState.RETURNED
                events.append(WorkflowEvent(EventKind.RETURNED, process.pk, current.pk, actor.pk))
            else:
                process.state = ProcessState.REJECTED
                process.closed_at = now
                events.append(WorkflowEvent(EventKind.REJECTED, process.pk, current.pk, actor.pk))
        process.save()
        emit_on_commit(*events)
    return current


def _check_decision(step: ReviewStep, decision: Decision, opinion: str, seal: bool) -> None:
    """The step's own rules: a written opinion where required (always for a return or a refusal), the seal."""
    errors: dict[str, str] = {}
    if len(opinion) > OPINION_MAX_LENGTH:
        errors["opinion"] = _("审核意见不能超过%(n)d个字。") % {"n": OPINION_MAX_LENGTH}
    elif not opinion and decision != Decision.APPROVE:
        errors["opinion"] = _("退回修改或不同意时,须写明理由。")
    elif not opinion and step.opinion_required:
        errors["opinion"] = _("本步骤须填写审核意见。")
    if decision == Decision.APPROVE and step.seal_required and not seal:
        errors["seal"] = _("本步骤须加盖单位公章:请在纸质材料上盖章后勾选“已盖章”。")
    if errors:
        raise ValidationError(errors)
