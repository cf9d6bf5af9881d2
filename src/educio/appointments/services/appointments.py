"""Appointments: 发文聘任 with the pack's term rules, and 取消任命."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.appointments.models import Appointment, AppointmentStatus, EndReason, Nomination, NominationKind
from educio.appointments.selectors import active_appointments, final_step, term_for
from educio.appointments.services._common import (
    REASON_MAX_LENGTH,
    _cite,
    _locked,
    _require,
    _term_limit_error,
    add_years,
)
from educio.audit.services import audited
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import Term
from educio.policies.selectors import loaded_pack
from educio.workflow.models import ProcessState


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
