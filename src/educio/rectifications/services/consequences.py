"""The pack's consequence of a failed or overdue order: revoking the appointment or recording accountability."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.models import User
from educio.accounts.roles import Perm, Role
from educio.accounts.scope import covers
from educio.appointments.models import Appointment, AppointmentStatus
from educio.appointments.selectors import posts_for
from educio.appointments.services import appointment_revoke
from educio.policies.loaded import LoadedPack
from educio.policies.models import PolicyPack
from educio.policies.selectors import effective_pack, loaded_pack
from educio.rectifications.models import (
    Consequence,
    OrderStatus,
    Recognition,
    RecognitionKind,
    RectificationOrder,
)
from educio.rectifications.services._common import REASON_MAX_LENGTH, pack_cycle

# Accounts at the issuing bureau that may carry out a revocation nobody is at the keyboard for (overdue).
REVOKING_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER)


def _pack_of_order(order: RectificationOrder) -> LoadedPack | None:
    if order.pack_version_id:
        try:
            return loaded_pack(order.pack_version_id)
        except PolicyPack.DoesNotExist:
            pass
    return effective_pack(order.organization)


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
