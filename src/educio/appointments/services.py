"""Every change to nominations and appointments: one audited transaction each.

The lifecycle::

    nomination_start (draft, form variant copied from the unit's pack)
      -> nomination_save / _set_photo / _attach (autosaved while drafting or after a return)
      -> nomination_submit (eligibility checked, filler's confirmation kept, deadline enforced)
      -> review steps in ``workflow`` (school -> county -> city; 宜春: president -> office meeting -> party committee)
      -> appointment_issue (document number, term from the pack's term rules)
      -> renewal / change filing (a new nomination naming the appointment it continues or replaces)
      -> appointment_revoke (reason, document number, article)

Rules come from the pack version the nomination was started under; the article
each refusal cites is printed in its message.

Concurrency: issuing locks the unit's row, so two appointments to a one-CIO
unit cannot both be issued; revoking locks the appointment, so it is revoked
exactly once.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.accounts.scope import covers
from educio.appointments import formspec
from educio.appointments.models import (
    Appointment,
    AppointmentStatus,
    EndReason,
    Nomination,
    NominationAttachment,
    NominationKind,
    NominationWindow,
)
from educio.appointments.selectors import (
    active_appointments,
    deadline_for,
    final_step,
    open_nominations,
    posts_for,
    term_for,
)
from educio.audit.services import audited
from educio.orgs.models import Organization, OrgKind
from educio.people.models import Person
from educio.people.selectors import person_facts
from educio.policies.eligibility import EligibilityResult, Verdict, evaluate
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import NominationForm, Post, Term
from educio.policies.selectors import effective_pack, loaded_pack
from educio.workflow.models import ProcessKind, ProcessState
from educio.workflow.services import process_resubmit, process_start_from_pack, process_submit, process_withdraw

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PHOTO_BYTES = 5 * 1024 * 1024
JUSTIFICATION_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500
EDITABLE_STATES = (ProcessState.DRAFT, ProcessState.RETURNED)


# --- helpers -----------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _require(actor: Any, perm: str, organization: Organization, message: str) -> None:
    if not covers(actor, perm, organization):
        raise PermissionDenied(message)


def _cite(pack: LoadedPack, article_id: str | None) -> str:
    article = pack.article(article_id)
    return article.citation if article else (article_id or "")


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


def _term_limit_error(pack: LoadedPack, term: Term, person: Person, next_term: int) -> ValidationError | None:
    """The refusal (with the article) when ``next_term`` consecutive terms would break the pack's term rules."""
    article = _cite(pack, term.renewal_article or term.article)
    if next_term > 1 and not term.renewable:
        return ValidationError(
            _("%(article)s:该岗位任期届满不得连任,%(name)s不能再次连续聘任。")
            % {"article": article, "name": person.name}
        )
    if term.max_consecutive_terms and next_term > term.max_consecutive_terms:
        return ValidationError(
            _("%(article)s:连任不超过%(max)d届。%(name)s已连续任职%(held)d届,不能第%(next)d次连续聘任。")
            % {
                "article": article,
                "max": term.max_consecutive_terms,
                "name": person.name,
                "held": next_term - 1,
                "next": next_term,
            }
        )
    return None


# --- nomination windows (推荐批次) ---------------------------------------------------------------


def window_create(
    *,
    actor: Any,
    organization: Organization,
    post: str,
    title: str,
    opens_on: date,
    deadline: date,
    note: str = "",
) -> NominationWindow:
    """A bureau calls for nominations in its subtree, with the deadline that then applies there."""
    _require(actor, Perm.APPOINTMENT_MANAGE, organization, _("您无权为该单位设置推荐批次。"))
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写批次名称。")
    if organization.kind not in (OrgKind.BUREAU, OrgKind.UNIVERSITY):
        errors["organization"] = _("推荐批次由教育行政部门或高校设置。")
    if deadline < opens_on:
        errors["deadline"] = _("报送截止日期不能早于开始日期。")
    if not post:
        errors["post"] = _("请选择岗位。")
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        return NominationWindow.objects.create(
            organization=organization,
            post=post[:64],
            title=title[:120],
            opens_on=opens_on,
            deadline=deadline,
            note=(note or "").strip()[:500],
            created_by=actor,
        )


# --- nominations -------------------------------------------------------------------------------


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


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("organization", "process")
        .get(pk=nomination.pk)
    )


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


# --- appointments ------------------------------------------------------------------------------


def _term_dates(pack: LoadedPack, term: Term | None, starts_on: date, ends_on: date | None) -> date | None:
    """The term's end: given, or the pack's term length; refused outside the pack's bounds."""
    if term is None:
        return ends_on
    years = term.max_years or term.min_years
    if ends_on is None and years:
        ends_on = add_years(starts_on, years) - timedelta(days=1)
    article = _cite(pack, term.article)
    if ends_on is not None and term.min_years and ends_on < add_years(starts_on, term.min_years) - timedelta(days=1):
        raise ValidationError(
            {"ends_on": _("%(article)s:任期不少于%(n)d年。") % {"article": article, "n": term.min_years}}
        )
    if ends_on is not None and term.max_years and ends_on > add_years(starts_on, term.max_years) - timedelta(days=1):
        raise ValidationError({"ends_on": _("%(article)s:任期为%(n)d年。") % {"article": article, "n": term.max_years}})
    return ends_on


def _end(appointment: Appointment, *, actor: Any, on: date, reason: str, note: str) -> None:
    appointment.status = AppointmentStatus.ENDED
    appointment.ended_on = max(on, appointment.starts_on)
    appointment.end_reason = reason
    appointment.end_note = note[:REASON_MAX_LENGTH]
    appointment.ended_by = actor
    appointment.save()


def _consecutive_predecessor(
    person: Person, organization: Organization, post: str, starts_on: date
) -> Appointment | None:
    """The person's previous appointment to this post here, if the new term follows it without a break."""
    previous = (
        Appointment.objects.filter(person=person, organization=organization, post=post)
        .exclude(status=AppointmentStatus.REVOKED)
        .order_by("-starts_on", "-pk")
        .first()
    )
    if previous is None:
        return None
    last_day = previous.ended_on if previous.status != AppointmentStatus.ACTIVE else previous.ends_on
    if last_day is None or last_day >= starts_on - timedelta(days=1):
        return previous
    return None


def appointment_issue(
    *,
    actor: Any,
    nomination: Nomination,
    doc_number: str,
    doc_date: date,
    starts_on: date,
    ends_on: date | None = None,
) -> Appointment:
    """发文聘任 after the review's final approval; a renewal or change ends the appointment it continues."""
    doc_number = (doc_number or "").strip()
    errors: dict[str, str] = {}
    if not doc_number:
        errors["doc_number"] = _("请填写聘任文号,如焦教文〔2022〕60号。")
    if doc_date > timezone.localdate():
        errors["doc_date"] = _("发文日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        # The unit's row serialises every issuance at the unit: two approvals cannot both fill a one-CIO post.
        organization = Organization.objects.select_for_update().get(pk=nomination.organization_id)
        locked = _locked(nomination)
        if locked.process is None or locked.process.state != ProcessState.APPROVED:
            raise ValidationError(_("推荐尚未通过全部审核,不能发文聘任。"))
        if Appointment.objects.filter(nomination=locked).exists():
            raise ValidationError(_("该推荐已发文聘任,不能重复办理。"))
        approving = final_step(locked)
        body = approving.acting_organization if approving else organization
        _require(actor, Perm.APPOINTMENT_MANAGE, body, _("聘任由%(body)s办理,您无权发文聘任。") % {"body": body.name})
        pack = loaded_pack(locked.pack_version_id)
        post = pack.spec.post(locked.post)
        term = term_for(pack, locked.post)
        ends_on = _term_dates(pack, term, starts_on, ends_on)
        predecessor = _consecutive_predecessor(locked.person, organization, locked.post, starts_on)
        term_number = predecessor.term_number + 1 if predecessor else 1
        if term is not None:
            limit = _term_limit_error(pack, term, locked.person, term_number)
            if limit is not None:
                raise limit
        day_before = starts_on - timedelta(days=1)
        holders = list(active_appointments(organization, locked.post).select_for_update())
        for holder in holders:
            if locked.replaces_id == holder.pk:
                reason = EndReason.RENEWED if locked.kind == NominationKind.RENEWAL else EndReason.REPLACED
                _end(holder, actor=actor, on=day_before, reason=reason, note=locked.change_reason)
            elif holder.ends_on is not None and holder.ends_on < starts_on:
                _end(holder, actor=actor, on=holder.ends_on, reason=EndReason.EXPIRED, note="")
        remaining = [h for h in holders if h.status == AppointmentStatus.ACTIVE]
        per_unit = post.per_unit if post else 1
        if len(remaining) >= per_unit:
            raise ValidationError(
                _("%(org)s已有在任%(post)s(%(names)s),按%(article)s每个单位设%(n)d名。")
                % {
                    "org": organization.name,
                    "post": locked.post_name,
                    "names": "、".join(h.person.name for h in remaining),
                    "article": _cite(pack, post.article) if post else "",
                    "n": per_unit,
                }
            )
        return Appointment.objects.create(
            organization=organization,
            post=locked.post,
            post_name=locked.post_name,
            person=locked.person,
            nomination=locked,
            predecessor=predecessor,
            term_number=term_number,
            doc_number=doc_number[:80],
            doc_date=doc_date,
            starts_on=starts_on,
            ends_on=ends_on,
            pack_ref=locked.pack_ref,
            issued_by=actor,
        )


def appointment_revoke(
    *,
    actor: Any,
    appointment: Appointment,
    reason: str,
    doc_number: str,
    article: str = "",
    on: date | None = None,
) -> Appointment:
    """取消任命 with its reason, document number and the article it rests on; exactly once."""
    reason = (reason or "").strip()
    doc_number = (doc_number or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("请填写取消任命的原因。")
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("原因不能超过%(n)d字。") % {"n": REASON_MAX_LENGTH}
    if not doc_number:
        errors["doc_number"] = _("请填写取消任命的文号。")
    if errors:
        raise ValidationError(errors)
    _require(actor, Perm.APPOINTMENT_MANAGE, appointment.organization, _("您无权取消该任命。"))
    with audited(actor):
        locked = (
            Appointment.objects.select_for_update(of=("self",)).select_related("organization").get(pk=appointment.pk)
        )
        if locked.status != AppointmentStatus.ACTIVE:
            raise ValidationError(_("该任命已结束(%(status)s),不能取消。") % {"status": locked.get_status_display()})
        locked.status = AppointmentStatus.REVOKED
        locked.ended_on = max(on or timezone.localdate(), locked.starts_on)
        locked.end_reason = EndReason.REVOKED
        locked.end_note = reason
        locked.revocation_doc_number = doc_number[:80]
        locked.revocation_article = (article or "").strip()[:200]
        locked.ended_by = actor
        locked.save()
    return locked
