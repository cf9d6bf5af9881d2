"""Limits, the permission check and the helpers every assessment service shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.scope import covers
from educio.assessments import scoring
from educio.assessments.models import AssessmentSubject, CycleStatus
from educio.orgs.models import BureauLevel, Organization, OrgKind
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import AssessmentCycle as PackCycle
from educio.policies.selectors import effective_pack
from educio.workflow.spec import ActingLevel

NAME_MAX = 200
TEXT_MAX = 5000
COMMENT_MAX = 1000
REASONS_MAX = 2000
FILES_PER_INDICATOR = 10
ORGANISING_KINDS = (OrgKind.BUREAU, OrgKind.UNIVERSITY)
SCORING_CYCLE_STATES = (CycleStatus.OPEN, CycleStatus.REVIEWING)
BUREAU_LEVEL_OF = {
    ActingLevel.PROVINCE_BUREAU: BureauLevel.PROVINCE,
    ActingLevel.CITY_BUREAU: BureauLevel.CITY,
    ActingLevel.COUNTY_BUREAU: BureauLevel.COUNTY,
}
ORGANISER_LABELS = {
    ActingLevel.PROVINCE_BUREAU: "省级教育行政部门",
    ActingLevel.CITY_BUREAU: "市级教育行政部门",
    ActingLevel.COUNTY_BUREAU: "县级教育行政部门",
    ActingLevel.UNIVERSITY: "高等学校",
    ActingLevel.ROOT: "采用该制度的单位",
}


def _require(actor: Any, perm: str, organization: Organization, message: str) -> None:
    if not covers(actor, perm, organization):
        raise PermissionDenied(message)


def _today() -> date:
    return timezone.localdate()


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pack_cycle(pack: LoadedPack, cycle_id: str) -> PackCycle | None:
    assessments = pack.spec.assessments
    return next((c for c in assessments.cycles if c.id == cycle_id), None) if assessments else None


def cite(pack: LoadedPack, article_id: str | None) -> str:
    """The article as printed (第四条(二)); the id itself when the pack does not have it."""
    article = pack.article(article_id)
    return article.citation if article else (article_id or "")


def parse_decimal(raw: Any, *, maximum: Decimal, label: str) -> Decimal | None:
    """A score typed in a form: blank is "no score" (None), otherwise 0..maximum with two decimals at most."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("%(label)s须为数字。") % {"label": label}) from None
    if not value.is_finite() or value < 0 or value > maximum or value != value.quantize(scoring.CENT):
        raise ValidationError(
            _("%(label)s须在 0 到 %(max)s 之间,最多两位小数。") % {"label": label, "max": scoring.rounded(maximum)}
        )
    return value


def _organising_pack(organization: Organization) -> LoadedPack:
    if organization.kind not in ORGANISING_KINDS:
        raise ValidationError({"organization": _("只有教育行政部门或高等学校可以组织考核。")})
    pack = effective_pack(organization)
    if pack is None:
        raise ValidationError(
            {"organization": _("“%(org)s”及其上级单位尚未采用制度方案。") % {"org": organization.name}}
        )
    return pack


def _pack_cycle_or_error(pack: LoadedPack, cycle_id: str) -> PackCycle:
    spec = pack_cycle(pack, cycle_id)
    if spec is None:
        raise ValidationError({"cycle_id": _("“%(pack)s”中没有该考核。") % {"pack": pack.title}})
    return spec


def _locked_subject(subject: AssessmentSubject) -> AssessmentSubject:
    return (
        AssessmentSubject.objects.select_for_update(of=("self",))
        .select_related("cycle__organization", "organization", "person")
        .get(pk=subject.pk)
    )
