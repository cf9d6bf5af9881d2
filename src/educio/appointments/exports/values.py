"""Values as the official documents print them, and the latest review round they quote."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from educio.appointments.models import Nomination
from educio.documents import docx
from educio.workflow.models import ReviewStep


def long_date(value: date | datetime | None) -> str:
    """2022年9月1日, as official documents write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        return None


def shown(value: Any, field_type: str, *, long: bool = False) -> str:
    """A stored value (ISO text from the form, or a person attribute) the way the paper form shows it."""
    if value in (None, ""):
        return ""
    if field_type in ("date", "month"):
        day = _as_date(value)
        if day is None:
            return docx.text(value)
        if field_type == "month":
            return f"{day.year}年{day.month}月" if long else f"{day.year}.{day.month:02d}"
        return long_date(day) if long else f"{day.year}.{day.month:02d}.{day.day:02d}"
    return docx.text(value, multiline=field_type == "textarea")


def field_value(field: dict[str, Any], nomination: Nomination) -> Any:
    """The form's value of ``field``; when the form left it empty, the person record's (``maps_to``)."""
    value = (nomination.data or {}).get(field["id"])
    if value not in (None, ""):
        return value
    attribute = field.get("maps_to")
    if attribute == "unit_name":
        return nomination.organization.name
    if attribute:
        return getattr(nomination.person, attribute, "") or ""
    return ""


def pack_id_of(pack_ref: str) -> str:
    """``jiaozuo-2022@1`` -> ``jiaozuo-2022``."""
    return (pack_ref or "").split("@", 1)[0]


def latest_steps(nomination: Nomination) -> list[ReviewStep]:
    """The steps of the review's latest round: prefetched by the summary sheet, else one query."""
    process = nomination.process
    if process is None or process.round == 0:
        return []
    prefetched = getattr(process, "latest_steps", None)
    if prefetched is not None:
        return list(prefetched)
    steps = ReviewStep.objects.filter(process=process, round=process.round).select_related("decided_by")
    return list(steps.order_by("index"))
