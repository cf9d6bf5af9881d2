"""The unit's rectification report: evidence files, the report itself and the re-check it starts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm, Role
from educio.audit.services import audited
from educio.orgs.models import BureauLevel, OrgKind
from educio.people.models import MAX_UPLOAD_BYTES
from educio.people.uploads import UploadRule, check_upload
from educio.policies.selectors import effective_pack
from educio.rectifications.models import OrderStatus, RectificationEvidence, RectificationOrder
from educio.rectifications.services._common import TEXT_MAX_LENGTH, _clean_text, _locked, _require
from educio.workflow.models import ProcessKind, ProcessState, ReviewProcess
from educio.workflow.services import process_resubmit, process_start, process_start_from_pack, process_submit
from educio.workflow.spec import ActingLevel, ChainSpec, StepActor, StepSpec

MAX_EVIDENCE_FILES = 30
EVIDENCE = UploadRule(label="整改佐证材料", extensions=("pdf", "jpg", "jpeg", "png"), max_bytes=MAX_UPLOAD_BYTES)
RECHECK_LEVELS = {
    BureauLevel.PROVINCE: ActingLevel.PROVINCE_BUREAU,
    BureauLevel.CITY: ActingLevel.CITY_BUREAU,
    BureauLevel.COUNTY: ActingLevel.COUNTY_BUREAU,
}


def _require_unit_turn(actor: Any, order: RectificationOrder) -> None:
    _require(actor, Perm.RECTIFICATION_SUBMIT, order.organization, _("您无权以该单位名义报送整改情况。"))
    if order.status != OrderStatus.OPEN:
        raise ValidationError(
            _("整改通知当前状态为“%(status)s”,不能修改整改报告或材料。") % {"status": order.get_status_display()}
        )


def order_attach(*, actor: Any, order: RectificationOrder, upload: UploadedFile) -> RectificationEvidence:
    """One evidence file (PDF or image, checked for its real type) for the report being prepared."""
    original_name = (upload.name or _("佐证材料"))[:200]
    check_upload(upload, EVIDENCE, field="file")
    with audited(actor):
        locked = _locked(order)
        _require_unit_turn(actor, locked)
        if locked.evidence.count() >= MAX_EVIDENCE_FILES:
            raise ValidationError({"file": _("佐证材料最多%(n)d个文件。") % {"n": MAX_EVIDENCE_FILES}})
        return RectificationEvidence.objects.create(
            order=locked, file=upload, original_name=original_name, uploaded_by=actor
        )


def order_detach(*, actor: Any, evidence: RectificationEvidence) -> None:
    with audited(actor):
        locked = _locked(evidence.order)
        _require_unit_turn(actor, locked)
        evidence.delete()


def _recheck_chain(order: RectificationOrder) -> ChainSpec:
    """Without a pack chain the issuing bureau re-checks, one step, by its reviewers."""
    issuer = order.issuer
    level = (
        ActingLevel.UNIVERSITY
        if issuer.kind == OrgKind.UNIVERSITY
        else RECHECK_LEVELS.get(issuer.bureau_level, ActingLevel.PARENT)
    )
    step = StepSpec(
        id="issuer_recheck",
        name=_("%(issuer)s复查整改情况") % {"issuer": issuer.name},
        actor=StepActor(level=level, role=Role.BUREAU_REVIEWER),
        article=order.article or None,
    )
    return ChainSpec(id="rectification_recheck", name=_("限期整改复查"), article=order.article or None, steps=(step,))


def _start_recheck(actor: Any, order: RectificationOrder) -> ReviewProcess:
    title = _("%(org)s限期整改复查(%(number)s)") % {"org": order.organization.name, "number": order.number}
    pack = effective_pack(order.organization)
    if order.recheck_chain_id and pack is not None and pack.review_chain(order.recheck_chain_id) is not None:
        return process_start_from_pack(
            actor=actor,
            organization=order.organization,
            chain_id=order.recheck_chain_id,
            kind=ProcessKind.RECTIFICATION,
            title=title,
            subject=order,
        )
    return process_start(
        actor=actor,
        organization=order.organization,
        chain=_recheck_chain(order),
        kind=ProcessKind.RECTIFICATION,
        title=title,
        subject=order,
        pack_version_id=order.pack_version_id,
        pack_ref=order.pack_ref,
    )


def _send_for_recheck(actor: Any, order: RectificationOrder) -> ReviewProcess:
    """Submit the re-check (resubmit it after a return); a withdrawn one stays in the history, a new one starts."""
    process = order.recheck_process
    if process is not None and process.state == ProcessState.IN_REVIEW:
        raise ValidationError(_("整改报告正在复查中。"))
    try:
        if process is not None and process.state == ProcessState.RETURNED:
            return process_resubmit(actor=actor, process=process)
        if process is None or process.is_closed:
            process = _start_recheck(actor, order)
        return process_submit(actor=actor, process=process)
    except PermissionDenied as exc:
        raise ValidationError(str(exc)) from exc


def order_submit_report(*, actor: Any, order: RectificationOrder, report: str) -> RectificationOrder:
    """The unit reports what it fixed (with its evidence) and the re-check begins (again, after a return)."""
    report = _clean_text(report, field="report", required=_("请填写整改报告。"), limit=TEXT_MAX_LENGTH)
    with audited(actor):
        locked = _locked(order)
        _require_unit_turn(actor, locked)
        if not locked.evidence.exists():
            raise ValidationError({"file": _("请先上传整改佐证材料。")})
        locked.recheck_process = _send_for_recheck(actor, locked)
        locked.report = report
        locked.report_submitted_at = timezone.now()
        locked.report_submitted_by = actor
        locked.status = OrderStatus.SUBMITTED
        locked.save()
    return locked
