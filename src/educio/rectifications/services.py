"""Every change to rectification orders and recognitions: one audited transaction each.

The lifecycle of an order::

    order_open_for_result (a published failing result) / order_open (a bureau, e.g. after an inspection)
      -> open: the unit uploads evidence (order_attach) and reports (order_submit_report)
      -> submitted: the bureau re-checks in the workflow inbox (chain from the pack, 焦作 rectification_recheck)
           approved -> order_close_passed  -> passed (销号)
           rejected -> order_fail          -> failed  + the pack's consequence
           returned / withdrawn -> order_reopen -> open again
      -> open past the deadline -> order_mark_overdue (manage.py check_rectifications) -> overdue + consequence
      -> open or submitted -> order_close (the bureau cancels it, e.g. the result was corrected) -> closed

The consequence (焦作 第四条(二): 整改不合格的取消首席信息官任命) is carried out
exactly once: every transition locks the order row and re-reads its status,
and ``consequence_applied_at`` is set in the same transaction as the
revocation. A revocation that cannot be done yet (no account may revoke) is
retried by the daily command until it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.models import User
from educio.accounts.roles import Perm, Role, role_has
from educio.accounts.scope import active_grants, covers, is_global
from educio.appointments.models import Appointment, AppointmentStatus
from educio.appointments.selectors import posts_for
from educio.appointments.services import appointment_revoke
from educio.audit.services import audited
from educio.orgs.models import BureauLevel, Organization, OrgKind
from educio.people.models import MAX_UPLOAD_BYTES, Person
from educio.people.uploads import UploadRule, check_upload
from educio.policies.loaded import LoadedPack
from educio.policies.models import PolicyPack
from educio.policies.schema.people import AssessmentCycle, Rectification
from educio.policies.selectors import effective_pack, loaded_pack
from educio.rectifications import notices
from educio.rectifications.models import (
    LIVE_STATUSES,
    Consequence,
    OrderStatus,
    Recognition,
    RecognitionKind,
    RectificationEvidence,
    RectificationOrder,
)
from educio.workflow.models import ProcessKind, ProcessState, ReviewProcess
from educio.workflow.services import process_resubmit, process_start, process_start_from_pack, process_submit
from educio.workflow.spec import ActingLevel, ChainSpec, StepActor, StepSpec

TEXT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000
MAX_EVIDENCE_FILES = 30
EVIDENCE = UploadRule(label="整改佐证材料", extensions=("pdf", "jpg", "jpeg", "png"), max_bytes=MAX_UPLOAD_BYTES)
RECHECK_LEVELS = {
    BureauLevel.PROVINCE: ActingLevel.PROVINCE_BUREAU,
    BureauLevel.CITY: ActingLevel.CITY_BUREAU,
    BureauLevel.COUNTY: ActingLevel.COUNTY_BUREAU,
}
# Accounts at the issuing bureau that may carry out a revocation nobody is at the keyboard for (overdue).
REVOKING_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER)


# --- helpers -----------------------------------------------------------------------------------


def _require(actor: Any, perm: str, organization: Organization, message: str) -> None:
    if not covers(actor, perm, organization):
        raise PermissionDenied(message)


def _cite(pack: LoadedPack | None, article: str | None) -> str:
    """The printed number (第四条(二)) of a pack article id; any other text is kept as written."""
    found = pack.article(article) if pack and article else None
    return found.citation if found else (article or "").strip()


def _locked(order: RectificationOrder) -> RectificationOrder:
    return (
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("organization", "issuer", "person", "recheck_process")
        .get(pk=order.pk)
    )


def pack_cycle(pack: LoadedPack | None, cycle_id: str) -> AssessmentCycle | None:
    """The assessment cycle ``cycle_id`` of the pack (焦作 school_biennial_assessment), if it has one."""
    if pack is None or not cycle_id or pack.spec.assessments is None:
        return None
    return next((c for c in pack.spec.assessments.cycles if c.id == cycle_id), None)


def _on_fail(cycle: AssessmentCycle | None) -> Rectification | None:
    return cycle.consequences.on_fail if cycle and cycle.consequences else None


def _pack_of_order(order: RectificationOrder) -> LoadedPack | None:
    if order.pack_version_id:
        try:
            return loaded_pack(order.pack_version_id)
        except PolicyPack.DoesNotExist:
            pass
    return effective_pack(order.organization)


def issuer_for(actor: Any, organization: Organization) -> Organization:
    """The bureau the order or record comes from: the nearest unit above ``organization`` the actor manages for."""
    above = [
        g
        for g in active_grants(actor)
        if role_has(g.role, Perm.RECTIFICATION_MANAGE)
        and organization.path.startswith(g.path)
        and g.path != organization.path
    ]
    if above:
        nearest = max(above, key=lambda g: len(g.path))
        return Organization.objects.get(pk=nearest.organization_id)
    if is_global(actor, Perm.RECTIFICATION_MANAGE):
        return Organization.objects.get_parent(organization) or organization
    raise PermissionDenied(
        _("限期整改、表彰与追责由上级教育行政部门决定,您无权对“%(org)s”办理。") % {"org": organization.name}
    )


def _next_number(issuer: Organization, year: int) -> tuple[int, str]:
    """The issuer's next 整改通知单号 of the year; the issuer's row is locked so two orders never share one."""
    Organization.objects.select_for_update().filter(pk=issuer.pk).first()
    last = RectificationOrder.objects.filter(issuer=issuer, number_year=year).aggregate(n=Max("number_seq"))["n"]
    seq = (last or 0) + 1
    return seq, _("整改〔%(year)d〕第%(seq)d号") % {"year": year, "seq": seq}


def _check_person(person: Person | None, organization: Organization) -> None:
    if person is not None and not person.organization.path.startswith(organization.path):
        raise ValidationError({"person": _("责任人须为该单位(含下属部门)的人员。")})


def _clean_text(value: str, *, field: str, required: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError({field: _("不能超过%(n)d字。") % {"n": limit}})
    return value


# --- opening an order ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderTerms:
    """What an order says, before it is stored: the pack's rule filled in and checked."""

    organization: Organization
    person: Person | None
    issuer: Organization
    findings: str
    article: str
    deadline: date | None
    consequence: str
    recheck_chain_id: str = ""
    source: Model | None = None
    pack: LoadedPack | None = None
    pack_ref: str = ""
    cycle_id: str = ""
    cycle_name: str = ""


def _create_order(actor: Any, terms: OrderTerms) -> RectificationOrder:
    today = timezone.localdate()
    findings = _clean_text(terms.findings, field="findings", required=_("请写明存在的问题。"), limit=TEXT_MAX_LENGTH)
    if terms.deadline is not None and terms.deadline < today:
        raise ValidationError({"deadline": _("整改期限不能早于今天。")})
    if terms.consequence not in Consequence.values:
        raise ValidationError({"consequence": _("请选择整改不合格的后果。")})
    _check_person(terms.person, terms.organization)
    source_type = ContentType.objects.get_for_model(terms.source) if terms.source is not None else None
    pack = terms.pack
    with audited(actor):
        if terms.source is not None:
            existing = (
                RectificationOrder.objects.filter(content_type=source_type, object_id=terms.source.pk)
                .exclude(status=OrderStatus.CLOSED)
                .first()
            )
            if existing is not None:
                raise ValidationError(
                    _("该考核结果已下达整改通知(%(number)s),不能重复下达。") % {"number": existing.number}
                )
        seq, number = _next_number(terms.issuer, today.year)
        order = RectificationOrder.objects.create(
            organization=terms.organization,
            person=terms.person,
            issuer=terms.issuer,
            number_year=today.year,
            number_seq=seq,
            number=number,
            content_type=source_type,
            object_id=terms.source.pk if terms.source is not None else None,
            cycle_id=terms.cycle_id[:64],
            cycle_name=terms.cycle_name[:120],
            pack_version_id=pack.pk if pack else None,
            pack_ref=(terms.pack_ref or (f"{pack.pack_id}@{pack.version}" if pack else ""))[:120],
            findings=findings,
            article=terms.article[:200],
            deadline=terms.deadline,
            consequence=terms.consequence,
            recheck_chain_id=terms.recheck_chain_id[:64],
            issued_by=actor,
        )
        notices.order_opened(order)
    return order


def _pack_of_cycle(cycle: Any, organization: Organization) -> LoadedPack | None:
    version = getattr(cycle, "pack_version_id", None)
    if version:
        try:
            return loaded_pack(int(version))
        except PolicyPack.DoesNotExist:
            pass
    return effective_pack(organization)


def order_open_for_result(
    *, actor: Any, subject: Any, findings: str, article: str = "", deadline: date | None = None
) -> RectificationOrder:
    """A published failing assessment result (``subject``) opens its rectification order.

    The subject is read defensively: ``organization`` (required), ``person``,
    ``cycle`` (``cycle_id``, ``name``, ``pack_version_id``, ``pack_ref``,
    ``organization`` = the bureau running the cycle). The pack cycle's
    ``consequences.on_fail`` gives the deadline (unless ``deadline`` is given),
    the re-check chain and what a failed re-check leads to. One order per result.
    """
    organization = getattr(subject, "organization", None)
    if not isinstance(organization, Organization):
        raise ValidationError(_("考核结果未指明被考核单位,无法下达整改通知。"))
    if getattr(subject, "pk", None) is None:
        raise ValidationError(_("考核结果须先保存。"))
    _require(actor, Perm.RECTIFICATION_MANAGE, organization, _("您无权对该单位下达整改通知。"))
    cycle = getattr(subject, "cycle", None)
    pack = _pack_of_cycle(cycle, organization)
    cycle_id = str(getattr(cycle, "cycle_id", "") or "")
    spec_cycle = pack_cycle(pack, cycle_id)
    rule = _on_fail(spec_cycle)
    if deadline is None and rule is not None and rule.deadline_days:
        deadline = timezone.localdate() + timedelta(days=rule.deadline_days)
    organiser = getattr(cycle, "organization", None)
    if isinstance(organiser, Organization) and organization.path.startswith(organiser.path):
        issuer = organiser
    else:
        issuer = issuer_for(actor, organization)
    person = getattr(subject, "person", None) or _cio_of(organization)
    default_article = (rule.article if rule else None) or (spec_cycle.article if spec_cycle else None)
    terms = OrderTerms(
        organization=organization,
        person=person if isinstance(person, Person) else None,
        issuer=issuer,
        findings=findings,
        article=_cite(pack, article or default_article),
        deadline=deadline,
        consequence=str(rule.on_recheck_fail) if rule and rule.on_recheck_fail else Consequence.NONE,
        recheck_chain_id=(rule.recheck_chain or "") if rule else "",
        source=subject,
        pack=pack,
        pack_ref=str(getattr(cycle, "pack_ref", "") or ""),
        cycle_id=cycle_id,
        cycle_name=str(getattr(cycle, "name", "") or (spec_cycle.name if spec_cycle else "")),
    )
    return _create_order(actor, terms)


def _cio_of(organization: Organization) -> Person | None:
    """The unit's CIO in office: the person responsible for a unit's rectification when the result names nobody."""
    holder = (
        Appointment.objects.filter(organization=organization, status=AppointmentStatus.ACTIVE)
        .select_related("person")
        .order_by("-starts_on")
        .first()
    )
    return holder.person if holder else None


def _default_recheck_chain(pack: LoadedPack | None, organization: Organization) -> str:
    """The re-check chain the pack names for rectification at units of this kind ('' = the issuer re-checks)."""
    if pack is None or pack.spec.assessments is None:
        return ""
    for cycle in pack.spec.assessments.cycles:
        rule = _on_fail(cycle)
        if rule and rule.recheck_chain and organization.kind in cycle.subject_kinds:
            return rule.recheck_chain
    return ""


def order_open(
    *,
    actor: Any,
    organization: Organization,
    person: Person | None,
    findings: str,
    article: str,
    deadline: date | None,
    consequence: str = Consequence.NONE,
    source: Model | None = None,
) -> RectificationOrder:
    """A bureau orders a unit to rectify what it found (an inspection, an incident ...), by ``deadline``."""
    _require(actor, Perm.RECTIFICATION_MANAGE, organization, _("您无权对该单位下达整改通知。"))
    if deadline is None:
        raise ValidationError({"deadline": _("请填写整改期限。")})
    if not organization.is_active:
        raise ValidationError({"organization": _("该单位已停用。")})
    pack = effective_pack(organization)
    terms = OrderTerms(
        organization=organization,
        person=person,
        issuer=issuer_for(actor, organization),
        findings=findings,
        article=_cite(pack, article),
        deadline=deadline,
        consequence=consequence or Consequence.NONE,
        recheck_chain_id=_default_recheck_chain(pack, organization),
        source=source,
        pack=pack,
    )
    return _create_order(actor, terms)


# --- the unit's rectification report -------------------------------------------------------------


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


# --- the bureau's decisions ----------------------------------------------------------------------


def order_set_deadline(*, actor: Any, order: RectificationOrder, deadline: date) -> RectificationOrder:
    """The bureau sets or extends the deadline of an order still under way."""
    _require(actor, Perm.RECTIFICATION_MANAGE, order.organization, _("您无权调整该整改通知的期限。"))
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("整改期限不能早于今天。")})
    with audited(actor):
        locked = _locked(order)
        if locked.status not in LIVE_STATUSES:
            raise ValidationError(_("整改通知已办结,不能调整期限。"))
        locked.deadline = deadline
        locked.save(update_fields=["deadline", "updated_at"])
    return locked


def order_close(*, actor: Any, order: RectificationOrder, reason: str) -> RectificationOrder:
    """The bureau cancels an order under way (e.g. the result was corrected on appeal); nothing follows from it."""
    _require(actor, Perm.RECTIFICATION_MANAGE, order.organization, _("您无权撤销该整改通知。"))
    reason = _clean_text(reason, field="reason", required=_("请填写撤销理由。"), limit=500)
    with audited(actor):
        locked = _locked(order)
        if locked.status not in LIVE_STATUSES:
            raise ValidationError(_("整改通知已办结,不能撤销。"))
        locked.status = OrderStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.close_note = reason
        locked.save()
    return locked


def orders_cancel_for_result(*, actor: Any, subject: Any, reason: str) -> int:
    """A result corrected to a pass on appeal: the orders its failure opened are cancelled; returns how many."""
    live = RectificationOrder.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, status__in=LIVE_STATUSES
    )
    orders = list(live)
    for order in orders:
        order_close(actor=actor, order=order, reason=reason)
    return len(orders)


def order_close_passed(*, actor: Any, order: RectificationOrder) -> RectificationOrder:
    """The re-check approved the rectification: the order is closed (销号). Repeating it changes nothing."""
    with audited(actor):
        locked = _locked(order)
        if locked.status != OrderStatus.SUBMITTED:
            return locked
        locked.status = OrderStatus.PASSED
        locked.closed_at = timezone.now()
        locked.close_note = _("整改复查合格,予以销号。")
        locked.save()
        notices.order_passed(locked)
    return locked


def order_reopen(*, actor: Any, order: RectificationOrder) -> RectificationOrder:
    """The re-check was returned for revision (or withdrawn): the unit holds the order again, deadline running."""
    with audited(actor):
        locked = _locked(order)
        if locked.status != OrderStatus.SUBMITTED:
            return locked
        locked.status = OrderStatus.OPEN
        locked.save(update_fields=["status", "updated_at"])
    return locked


def order_fail(
    *, actor: Any, order: RectificationOrder, doc_number: str = "", today: date | None = None
) -> RectificationOrder:
    """The re-check found the rectification inadequate: failed, and the pack's consequence follows, once."""
    today = today or timezone.localdate()
    with audited(actor):
        locked = _locked(order)
        if locked.status != OrderStatus.SUBMITTED:
            return locked
        locked.status = OrderStatus.FAILED
        locked.closed_at = timezone.now()
        locked.close_note = _("整改复查不合格。")
        _apply_consequence(locked, actor=actor, doc_number=doc_number, today=today)
        notices.order_failed(locked)
    return locked


def order_mark_overdue(*, order: RectificationOrder, today: date) -> bool:
    """Open past its deadline (checked by the daily command): overdue, and the pack's consequence follows, once."""
    with audited(None):
        locked = _locked(order)
        if locked.status != OrderStatus.OPEN or locked.deadline is None or locked.deadline >= today:
            return False
        locked.status = OrderStatus.OVERDUE
        locked.closed_at = timezone.now()
        locked.close_note = _("整改期限(%(day)s)已过,未报送整改情况或未按退回意见重新报送。") % {
            "day": f"{locked.deadline:%Y年%m月%d日}"
        }
        _apply_consequence(locked, actor=None, doc_number="", today=today)
        notices.order_overdue(locked)
    return True


def order_apply_pending(*, order: RectificationOrder, today: date) -> bool:
    """Retry a consequence that could not be carried out yet (no account was allowed to revoke)."""
    with audited(None):
        locked = _locked(order)
        if not locked.consequence_pending:
            return False
        _apply_consequence(locked, actor=None, doc_number="", today=today)
        return locked.consequence_applied_at is not None


# --- consequences --------------------------------------------------------------------------------


def _apply_consequence(order: RectificationOrder, *, actor: Any, doc_number: str, today: date) -> None:
    """The pack's consequence of ``order`` (locked by the caller), unless it was already carried out."""
    if order.consequence_applied_at is not None:
        return
    if order.consequence == Consequence.REVOKE_APPOINTMENT:
        done = _revoke(order, actor=actor, doc_number=doc_number or _revocation_doc_number(order), today=today)
    elif order.consequence == Consequence.ACCOUNTABILITY:
        done = _hold_accountable(order, actor=actor, today=today)
    else:
        order.consequence_note = _("制度未规定整改不合格的后果,结果已记录在案。")
        done = True
    if done:
        order.consequence_applied_at = timezone.now()
    order.save()


def _revocation_doc_number(order: RectificationOrder) -> str:
    if order.status == OrderStatus.OVERDUE:
        return _("逾期未整改自动取消(整改通知单号 %(number)s)") % {"number": order.number}
    return _("整改复查不合格取消(整改通知单号 %(number)s)") % {"number": order.number}


def _why(order: RectificationOrder) -> str:
    return _("逾期未整改") if order.status == OrderStatus.OVERDUE else _("整改复查不合格")


def _revocable_posts(order: RectificationOrder) -> list[str]:
    """The posts whose holders lose them: the cycle's posts (post-holder cycles), else the unit's posts in the pack."""
    pack = _pack_of_order(order)
    cycle = pack_cycle(pack, order.cycle_id)
    if cycle is not None and cycle.posts:
        return list(cycle.posts)
    return [p.id for p in posts_for(pack, order.organization)] or ["cio"]


def _appointments_to_revoke(order: RectificationOrder) -> list[Appointment]:
    active = Appointment.objects.filter(
        organization=order.organization, status=AppointmentStatus.ACTIVE, post__in=_revocable_posts(order)
    ).select_related("person", "organization")
    own = [a for a in active if a.person_id == order.person_id]
    return own or list(active)


def _revoker(order: RectificationOrder, actor: Any) -> Any:
    """Who carries out the revocation: the deciding reviewer, else the order's issuer, else a bureau account there."""
    staff = User.objects.filter(
        is_active=True, role_assignments__organization=order.issuer, role_assignments__role__in=REVOKING_ROLES
    ).order_by("pk")
    for candidate in [actor, order.issued_by, *staff.distinct()]:
        if (
            candidate is not None
            and candidate.is_active
            and covers(candidate, Perm.APPOINTMENT_MANAGE, order.organization)
        ):
            return candidate
    return None


def _revoke(order: RectificationOrder, *, actor: Any, doc_number: str, today: date) -> bool:
    holders = _appointments_to_revoke(order)
    if not holders:
        order.consequence_note = _("该单位没有在任的首席信息官,无任命可取消;该单位须重新推荐。")
        return True
    revoker = _revoker(order, actor)
    if revoker is None:
        order.consequence_note = _("待取消任命:%(issuer)s暂无有权取消任命的有效账号,请尽快办理;系统每日自动重试。") % {
            "issuer": order.issuer.name
        }
        return False
    reason = _("%(issuer)s限期整改通知(%(number)s)%(why)s:%(findings)s") % {
        "issuer": order.issuer.name,
        "number": order.number,
        "why": _why(order),
        "findings": order.findings,
    }
    revoked = []
    for holder in holders:
        try:
            revoked.append(
                appointment_revoke(
                    actor=revoker,
                    appointment=holder,
                    reason=reason[:500],
                    doc_number=doc_number,
                    article=order.article,
                    on=today,
                )
            )
        except ValidationError:
            continue  # ended in the meantime: nothing left to revoke
    if not revoked:
        order.consequence_note = _("该单位没有在任的首席信息官,无任命可取消;该单位须重新推荐。")
        return True
    order.revoked_appointment = revoked[0]
    order.consequence_note = _("已取消%(names)s的%(post)s任命(%(doc)s,依据%(article)s);该单位须重新推荐。") % {
        "names": "、".join(a.person.name for a in revoked),
        "post": revoked[0].post_name,
        "doc": doc_number,
        "article": order.article or _("制度规定"),
    }
    return True


def _hold_accountable(order: RectificationOrder, *, actor: Any, today: date) -> bool:
    record = Recognition.objects.create(
        kind=RecognitionKind.ACCOUNTABILITY,
        organization=order.organization,
        person=order.person,
        reason=(_("限期整改%(why)s:%(findings)s") % {"why": _why(order), "findings": order.findings})[
            :REASON_MAX_LENGTH
        ],
        date=today,
        doc_number=order.number,
        issuer=order.issuer,
        article=order.article,
        source=order,
        created_by=actor or order.issued_by,
    )
    order.accountability = record
    order.consequence_note = _("已登记追责记录。")
    return True


# --- commendation and accountability -------------------------------------------------------------


def recognition_create(
    *,
    actor: Any,
    kind: str,
    organization: Organization,
    person: Person | None,
    reason: str,
    date: date,
    doc_number: str = "",
    article: str = "",
    source: Model | None = None,
) -> Recognition:
    """表彰奖励 / 激励 / 追责 of a unit (and maybe one of its people), decided by a bureau above it."""
    _require(actor, Perm.RECTIFICATION_MANAGE, organization, _("您无权为该单位登记表彰或追责。"))
    if kind not in RecognitionKind.values:
        raise ValidationError({"kind": _("请选择类别。")})
    reason = _clean_text(reason, field="reason", required=_("请填写事由。"), limit=REASON_MAX_LENGTH)
    if date > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天。")})
    _check_person(person, organization)
    issuer = issuer_for(actor, organization)
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    with audited(actor):
        return Recognition.objects.create(
            kind=kind,
            organization=organization,
            person=person,
            reason=reason,
            date=date,
            doc_number=(doc_number or "").strip()[:80],
            issuer=issuer,
            article=_cite(effective_pack(organization), article)[:200],
            content_type=source_type,
            object_id=source.pk if source is not None else None,
            created_by=actor,
        )
