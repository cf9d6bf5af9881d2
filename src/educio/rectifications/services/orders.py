"""Opening a rectification order: after a failing assessment result or by a bureau, numbered per issuer and year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.appointments.models import Appointment, AppointmentStatus
from educio.audit.services import audited
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.loaded import LoadedPack
from educio.policies.models import PolicyPack
from educio.policies.selectors import effective_pack, loaded_pack
from educio.rectifications import notices
from educio.rectifications.models import Consequence, OrderStatus, RectificationOrder
from educio.rectifications.services._common import (
    TEXT_MAX_LENGTH,
    _check_person,
    _cite,
    _clean_text,
    _on_fail,
    _require,
    issuer_for,
    pack_cycle,
)


def _next_number(issuer: Organization, year: int) -> tuple[int, str]:
    """The issuer's next 整改通知单号 of the year; the issuer's row is locked so two orders never share one."""
    Organization.objects.select_for_update().filter(pk=issuer.pk).first()
    last = RectificationOrder.objects.filter(issuer=issuer, number_year=year).aggregate(n=Max("number_seq"))["n"]
    seq = (last or 0) + 1
    return seq, _("整改〔%(year)d〕第%(seq)d号") % {"year": year, "seq": seq}


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
