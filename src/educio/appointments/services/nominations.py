"""The 推荐表's lifecycle: start, autosave, uploads, eligibility, submission, withdrawal and reopening."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.appointments import formspec
from educio.appointments.models import (
    Appointment,
    AppointmentStatus,
    Nomination,
    NominationAttachment,
    NominationKind,
)
from educio.appointments.selectors import active_appointments, deadline_for, open_nominations, posts_for, term_for
from educio.appointments.services._common import (
    EDITABLE_STATES,
    JUSTIFICATION_MAX_LENGTH,
    MAX_PHOTO_BYTES,
    MAX_UPLOAD_BYTES,
    REASON_MAX_LENGTH,
    _cite,
    _locked,
    _require,
    _term_limit_error,
)
from educio.audit.services import audited
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.people.selectors import person_facts
from educio.policies.eligibility import EligibilityResult, Verdict, evaluate
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import NominationForm, Post
from educio.policies.selectors import effective_pack, loaded_pack
from educio.workflow.models import ProcessKind, ProcessState
from educio.workflow.services import process_resubmit, process_start_from_pack, process_submit, process_withdraw


def _pack_and_post(organization: Organization, post_id: str | None) -> tuple[LoadedPack, NominationForm, Post]:
    pack = effective_pack(organization)
    if pack is None:
        raise ValidationError(_("单位“%(org)s”及其上级单位尚未采用制度方案,无法推荐。") % {"org": organization.name})
    form = pack.spec.nomination_form
    if form is None:
        raise ValidationError(_("“%(pack)s”未规定推荐表,无需报送推荐。") % {"pack": pack.title})
    posts = posts_for(pack, organization)
    post = next((p for p in posts if p.id == (post_id or form.post)), None) or (posts[0] if not post_id else None)
    if post is None:
        raise ValidationError(_("按“%(pack)s”,%(org)s不设该岗位。") % {"pack": pack.title, "org": organization.name})
    if not post.nomination_chain or pack.review_chain(post.nomination_chain) is None:
        raise ValidationError(_("“%(pack)s”未规定%(post)s的推荐审核流程。") % {"pack": pack.title, "post": post.name})
    return pack, form, post


def nomination_start(
    *,
    actor: Any,
    organization: Organization,
    person: Person,
    post_id: str | None = None,
    kind: str = NominationKind.NEW,
    replaces: Appointment | None = None,
    change_reason: str = "",
) -> Nomination:
    """Open a draft 推荐表 of the unit's pack variant, prefilled from the person (or the last nomination)."""
    _require(actor, Perm.NOMINATION_MANAGE, organization, _("您无权以该单位名义填报推荐表。"))
    pack, form, post = _pack_and_post(organization, post_id)
    if not person.is_active or not person.organization.path.startswith(organization.path):
        raise ValidationError({"person": _("请选择本单位(含下属部门)在职人员。")})
    if open_nominations(organization, post.id).exists():
        raise ValidationError(_("本单位已有未办结的%(post)s推荐,请先办结或撤回。") % {"post": post.name})
    kind = NominationKind(kind)
    change_reason = (change_reason or "").strip()
    chain_id = post.nomination_chain or ""
    process_kind = ProcessKind.NOMINATION
    term = term_for(pack, post.id)
    if kind == NominationKind.NEW:
        holders = list(active_appointments(organization, post.id).select_related("person"))
        if len(holders) >= post.per_unit:
            raise ValidationError(
                _("本单位已有在任%(post)s(%(names)s),按%(article)s每个单位设%(n)d名;如需更换请办理任期内变更。")
                % {
                    "post": post.name,
                    "names": "、".join(h.person.name for h in holders),
                    "article": _cite(pack, post.article),
                    "n": post.per_unit,
                }
            )
    else:
        if replaces is None or replaces.organization_id != organization.pk or replaces.post != post.id:
            raise ValidationError(_("请选择本单位该岗位的在任任命。"))
        if replaces.status != AppointmentStatus.ACTIVE:
            raise ValidationError(_("该任命已结束,不能续聘或变更。"))
        if kind == NominationKind.RENEWAL:
            if replaces.person_id != person.pk:
                raise ValidationError({"person": _("续聘须为原任职人员;更换人员请办理任期内变更。")})
            limit = _term_limit_error(pack, term, person, replaces.term_number + 1) if term else None
            if limit is not None:
                raise limit
        else:
            if replaces.person_id == person.pk:
                raise ValidationError({"person": _("任期内变更须推荐新的人员。")})
            if not change_reason:
                raise ValidationError({"change_reason": _("请填写变更原因。")})
            process_kind = ProcessKind.CHANGE_FILING
            if term and term.change_must_be_refiled and term.change_chain:
                chain_id = term.change_chain
    data = formspec.prefill(form, person, organization.name)
    honours = formspec.honours_from(person, form)
    previous = replaces.nomination if replaces is not None and kind == NominationKind.RENEWAL else None
    if previous is not None and previous.form_snapshot == formspec.snapshot(form):
        data = {**previous.data, **{k: v for k, v in data.items() if v}}
        honours = previous.honours or honours
    deadline = deadline_for(organization, post.id, pack)
    with audited(actor):
        nomination = Nomination.objects.create(
            organization=organization,
            post=post.id,
            post_name=post.name[:120],
            kind=kind,
            person=person,
            replaces=replaces,
            change_reason=change_reason[:REASON_MAX_LENGTH],
            pack_version_id=pack.pk,
            pack_ref=f"{pack.pack_id}@{pack.version}"[:120],
            form_snapshot=formspec.snapshot(form),
            data=data,
            honours=honours,
            photo=previous.photo if previous is not None else person.photo,
            deadline=deadline.on if deadline else None,
            created_by=actor,
        )
        title = _("%(org)s %(post)s%(kind)s:%(name)s") % {
            "org": organization.name,
            "post": post.name,
            "kind": kind.label,
            "name": person.name,
        }
        nomination.process = process_start_from_pack(
            actor=actor,
            organization=organization,
            chain_id=chain_id,
            kind=process_kind,
            title=title,
            subject=nomination,
        )
        nomination.save(update_fields=["process"])
    return nomination


def _require_editable(actor: Any, nomination: Nomination) -> None:
    _require(actor, Perm.NOMINATION_MANAGE, nomination.organization, _("您无权修改该推荐表。"))
    state = nomination.process.state if nomination.process else ProcessState.DRAFT
    if state not in EDITABLE_STATES:
        raise ValidationError(_("推荐表已报送或已办结,不能修改。"))


def nomination_save(
    *,
    actor: Any,
    nomination: Nomination,
    data: dict[str, Any],
    honours: list[dict[str, Any]] | None = None,
    justification: str | None = None,
) -> Nomination:
    """Save the draft as typed (autosave): each value must be valid, none has to be there yet."""
    form = formspec.form_of(nomination)
    values, errors = formspec.clean_data(form, data)
    rows, row_errors = formspec.clean_honours(form, honours if honours is not None else nomination.honours)
    errors.update(row_errors)
    if justification is not None and len(justification.strip()) > JUSTIFICATION_MAX_LENGTH:
        errors["justification"] = _("情况说明不能超过%(n)d字。") % {"n": JUSTIFICATION_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        locked = _locked(nomination)
        _require_editable(actor, locked)
        locked.data = values
        locked.honours = rows
        if justification is not None:
            locked.justification = justification.strip()
        locked.save(update_fields=["data", "honours", "justification", "updated_at"])
    return locked


def _check_upload(upload: UploadedFile, extensions: list[str], limit: int, label: str) -> None:
    name = (upload.name or "").lower()
    if not any(name.endswith(f".{ext}") for ext in extensions):
        raise ValidationError(
            _("%(label)s只接受 %(ext)s 格式的文件。") % {"label": label, "ext": "、".join(extensions)}
        )
    if upload.size is None or upload.size > limit:
        raise ValidationError(_("%(label)s不能超过%(mb)dMB。") % {"label": label, "mb": limit // (1024 * 1024)})


def nomination_set_photo(*, actor: Any, nomination: Nomination, upload: UploadedFile) -> Nomination:
    _check_upload(upload, ["jpg", "jpeg", "png"], MAX_PHOTO_BYTES, _("照片"))
    with audited(actor):
        locked = _locked(nomination)
        _require_editable(actor, locked)
        locked.photo = upload
        locked.save(update_fields=["photo", "updated_at"])
    return locked


def nomination_attach(*, actor: Any, nomination: Nomination, slot: str, upload: UploadedFile) -> NominationAttachment:
    form = formspec.form_of(nomination)
    attachment = next((a for a in form.attachments if a.id == slot), None)
    if attachment is None:
        raise ValidationError(_("推荐表没有这项材料。"))
    _check_upload(upload, ["pdf", "jpg", "jpeg", "png"], MAX_UPLOAD_BYTES, attachment.label)
    with audited(actor):
        locked = _locked(nomination)
        _require_editable(actor, locked)
        return NominationAttachment.objects.create(
            nomination=locked, slot=slot, file=upload, original_name=(upload.name or slot)[:200], uploaded_by=actor
        )


def nomination_detach(*, actor: Any, attachment: NominationAttachment) -> None:
    with audited(actor):
        locked = _locked(attachment.nomination)
        _require_editable(actor, locked)
        attachment.delete()


def nomination_eligibility(nomination: Nomination, *, data: dict[str, Any] | None = None) -> EligibilityResult:
    """The pack's eligibility rules for the post, against the person as the form now describes them.

    An attachment whose slot is also an attestation kind of the pack (焦作:
    学校班子研究授权材料) attests it once uploaded.
    """
    pack = loaded_pack(nomination.pack_version_id)
    form = formspec.form_of(nomination)
    values = data if data is not None else nomination.data
    attested = {a.slot for a in nomination.attachments.all()}
    facts = person_facts(
        nomination.person,
        attestations=attested,
        overrides=formspec.person_overrides(form, {k: str(v) for k, v in values.items()}),
    )
    return evaluate(pack, facts, post=nomination.post)


def eligibility_snapshot(result: EligibilityResult) -> dict[str, Any]:
    return {
        "verdict": str(result.verdict),
        "label": result.verdict_label,
        "findings": [
            {
                "rule": f.rule_id,
                "label": f.label,
                "status": str(f.status),
                "status_label": f.status_label,
                "article": f.article_number,
                "detail": f.detail,
            }
            for f in result.findings
        ],
    }


def _late(nomination: Nomination, today: date) -> str | None:
    deadline = deadline_for(nomination.organization, nomination.post)
    if deadline is None or today <= deadline.on:
        return None
    if nomination.reopened_until and today <= nomination.reopened_until:
        return None
    return _("已超过报送截止日期(%(date)s,%(source)s),请联系教育局重新开放报送。") % {
        "date": f"{deadline.on:%Y年%m月%d日}",
        "source": deadline.source,
    }


def nomination_submit(
    *,
    actor: Any,
    nomination: Nomination,
    confirmed: bool,
    confirmer_name: str = "",
    justification: str = "",
) -> Nomination:
    """Send the form into review (or back into review after a return for revision).

    Refused, with nothing changed, when: a printed required item is empty; a
    hard eligibility rule fails; a soft one fails and no written justification
    is given; the filler has not confirmed the content is true (焦作
    附件1: 填写人对上述所填内容真实性负责并签字); the deadline has passed and
    the bureau has not reopened submission.
    """
    form = formspec.form_of(nomination)
    today = timezone.localdate()
    with audited(actor):
        locked = _locked(nomination)
        _require_editable(actor, locked)
        process = locked.process
        assert process is not None
        errors = formspec.missing_for_submission(form, locked, {a.slot for a in locked.attachments.all()})
        if process.state == ProcessState.DRAFT:
            late = _late(locked, today)
            if late:
                errors["__all__"] = late
        result = nomination_eligibility(locked)
        if result.verdict == Verdict.FAIL:
            errors["eligibility"] = _("不符合任职条件,不能报送:") + ";".join(f.explanation for f in result.failures)
        justification = (justification or "").strip()
        if result.verdict == Verdict.WARN and not justification:
            errors["justification"] = _("以下条件未满足或无法核实,请书面说明情况:") + ";".join(
                f.explanation for f in result.warnings
            )
        if len(justification) > JUSTIFICATION_MAX_LENGTH:
            errors["justification"] = _("情况说明不能超过%(n)d字。") % {"n": JUSTIFICATION_MAX_LENGTH}
        confirmer_name = (confirmer_name or "").strip()
        if form.confirmation and (not confirmed or not confirmer_name):
            errors["confirmed"] = _("请确认“%(text)s”并签署填写人姓名。") % {"text": form.confirmation.text}
        if errors:
            raise ValidationError(errors)
        locked.eligibility = eligibility_snapshot(result)
        locked.justification = justification
        if form.confirmation:
            locked.confirmed_by = actor
            locked.confirmer_name = confirmer_name[:40]
            locked.confirmed_at = timezone.now()
        locked.save()
        if process.state == ProcessState.DRAFT:
            process_submit(actor=actor, process=process)
        else:
            process_resubmit(actor=actor, process=process)
    return locked


def nomination_withdraw(*, actor: Any, nomination: Nomination, reason: str = "") -> Nomination:
    """The filler takes it back (a draft, or one nobody has decided on this round); the post is free again."""
    if nomination.process is None:
        raise ValidationError(_("该推荐表没有审核记录。"))
    process_withdraw(actor=actor, process=nomination.process, reason=reason)
    return nomination


def nomination_reopen(*, actor: Any, nomination: Nomination, until: date) -> Nomination:
    """The bureau lets one late nomination be submitted until ``until``."""
    _require(actor, Perm.APPOINTMENT_MANAGE, nomination.organization, _("您无权为该单位延期报送。"))
    if until < timezone.localdate():
        raise ValidationError({"until": _("延期日期不能早于今天。")})
    with audited(actor):
        locked = _locked(nomination)
        if locked.process is None or locked.process.state != ProcessState.DRAFT:
            raise ValidationError(_("只有尚未报送的推荐表需要延期报送。"))
        locked.reopened_until = until
        locked.reopened_by = actor
        locked.save(update_fields=["reopened_until", "reopened_by", "updated_at"])
    return locked
