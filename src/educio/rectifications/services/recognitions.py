"""Commendation, incentive and accountability records (表彰奖励 / 激励 / 追责) decided by a bureau."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.audit.services import audited
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.selectors import effective_pack
from educio.rectifications.models import Recognition, RecognitionKind
from educio.rectifications.services._common import (
    REASON_MAX_LENGTH,
    _check_person,
    _cite,
    _clean_text,
    _require,
    issuer_for,
)


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
