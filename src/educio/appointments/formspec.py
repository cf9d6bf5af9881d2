"""The pack's 推荐表 variant (``NominationForm``) as values: cleaning, prefilling and completeness.

Values are kept as the strings the form shows (dates ISO, months ``YYYY-MM``),
so a draft can hold anything half-typed that is not wrong; ``complete``
adds what a submission needs (required fields, photo, attachments).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from educio.people.models import Person
from educio.policies.schema.people import FieldType, FormField, NominationForm, TableColumn

PHONE_RE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MONTH_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
DEFAULT_TEXT_LIMIT = 200


def snapshot(form: NominationForm) -> dict[str, Any]:
    return form.model_dump(mode="json")


def form_of(nomination: Any) -> NominationForm:
    return NominationForm.model_validate(nomination.form_snapshot)


def _clean(kind: FieldType, label: str, raw: Any, *, max_length: int | None, lo: int | None, hi: int | None) -> str:
    """One value, normalised; raises ``ValueError`` with the Chinese reason."""
    value = "" if raw is None else str(raw).strip()
    if not value:
        return ""
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        limit = max_length or (None if kind == FieldType.TEXTAREA else DEFAULT_TEXT_LIMIT)
        if limit and len(value) > limit:
            raise ValueError(
                _("%(label)s不能超过%(n)d字(现为%(len)d字)。") % {"label": label, "n": limit, "len": len(value)}
            )
    elif kind == FieldType.DATE:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("%(label)s请填写有效日期,如2022-09-01。") % {"label": label}) from None
    elif kind == FieldType.MONTH:
        value = value[:7] if re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", value) else value
        if not MONTH_RE.match(value):
            raise ValueError(_("%(label)s请填写年月,如1980-05。") % {"label": label})
    elif kind == FieldType.INTEGER:
        if not re.fullmatch(r"-?[0-9]+", value):
            raise ValueError(_("%(label)s请填写整数。") % {"label": label})
        number = int(value)
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise ValueError(_("%(label)s应在%(lo)s至%(hi)s之间。") % {"label": label, "lo": lo, "hi": hi})
        value = str(number)
    elif kind == FieldType.PHONE:
        if not PHONE_RE.match(value):
            raise ValueError(_("%(label)s请填写11位手机号码或带区号的固定电话。") % {"label": label})
    elif kind == FieldType.EMAIL and (not EMAIL_RE.match(value) or len(value) > 254):
        raise ValueError(_("%(label)s请填写有效的电子邮箱。") % {"label": label})
    return value


def clean_field(field: FormField, raw: Any) -> str:
    value = _clean(field.type, field.label, raw, max_length=field.max_length, lo=field.min_value, hi=field.max_value)
    if value and field.choices and value not in field.choices:
        raise ValueError(
            _("%(label)s请从“%(choices)s”中选择。") % {"label": field.label, "choices": "、".join(field.choices)}
        )
    return value


def clean_column(column: TableColumn, raw: Any) -> str:
    return _clean(column.type, column.label, raw, max_length=column.max_length, lo=None, hi=None)


def clean_data(form: NominationForm, raw: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Known fields only, each cleaned; returns (values, errors keyed by field id)."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in form.fields:
        try:
            values[field.id] = clean_field(field, raw.get(field.id, ""))
        except ValueError as exc:
            errors[field.id] = str(exc)
    return values, errors


def clean_honours(form: NominationForm, rows: list[dict[str, Any]]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Rows of the honours table; fully empty rows are dropped, errors keyed ``honours-<row>-<column>``."""
    table = form.honours
    if table is None:
        return [], {}
    kept: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    for index, row in enumerate(rows):
        if not any(str(row.get(c.id, "") or "").strip() for c in table.columns):
            continue
        cleaned: dict[str, str] = {}
        for column in table.columns:
            try:
                cleaned[column.id] = clean_column(column, row.get(column.id, ""))
            except ValueError as exc:
                errors[f"honours-{index}-{column.id}"] = _("第%(n)d行:%(reason)s") % {"n": index + 1, "reason": exc}
        kept.append(cleaned)
    if table.max_rows and len(kept) > table.max_rows:
        errors["honours"] = _("%(label)s最多填写%(n)d行。") % {"label": table.label, "n": table.max_rows}
    return kept, errors


def missing_for_submission(form: NominationForm, nomination: Any, attachment_slots: set[str]) -> dict[str, str]:
    """What the printed form requires that is still empty: required fields, table cells, photo, attachments."""
    errors: dict[str, str] = {}
    for field in form.fields:
        if field.required and not str(nomination.data.get(field.id, "") or "").strip():
            errors[field.id] = _("请填写%(label)s。") % {"label": field.label}
    if form.honours:
        for index, row in enumerate(nomination.honours):
            for column in form.honours.columns:
                if column.required and not row.get(column.id):
                    errors[f"honours-{index}-{column.id}"] = _("%(table)s第%(n)d行请填写%(label)s。") % {
                        "table": form.honours.label,
                        "n": index + 1,
                        "label": column.label,
                    }
    if form.photo and form.photo.required and not nomination.photo:
        errors["photo"] = _("请上传%(label)s。") % {"label": form.photo.label}
    for attachment in form.attachments:
        if attachment.required and attachment.id not in attachment_slots:
            errors[f"attachment-{attachment.id}"] = _("请上传%(label)s。") % {"label": attachment.label}
    return errors


# --- prefilling from the person record -----------------------------------------------------------


def _person_value(person: Person, attribute: str, field: FormField) -> str:
    if attribute == "unit_name":
        return person.organization.name
    value = getattr(person, attribute, None)
    if value in (None, ""):
        return ""
    display = getattr(person, f"get_{attribute}_display", None)
    if display is not None:  # a coded value (管理职级 division) is printed as its label (正处级)
        return str(display())
    if isinstance(value, date):
        return value.strftime("%Y-%m") if field.type == FieldType.MONTH else value.isoformat()
    return str(value)


def prefill(form: NominationForm, person: Person, organization_name: str) -> dict[str, str]:
    """The form's values from the person record, for the fields that say which attribute they show."""
    values: dict[str, str] = {}
    for field in form.fields:
        if field.maps_to == "unit_name":
            values[field.id] = organization_name
        elif field.maps_to and hasattr(person, field.maps_to):
            values[field.id] = _person_value(person, field.maps_to, field)
        elif field.type == FieldType.DATE and field.id == "filled_on":
            values[field.id] = date.today().isoformat()
        else:
            values[field.id] = ""
        if field.choices and values[field.id] not in field.choices:
            values[field.id] = ""
    return values


def honours_from(person: Person, form: NominationForm) -> list[dict[str, str]]:
    """The person's recorded honours in the form's table columns (matched by meaning, not by position)."""
    table = form.honours
    if table is None:
        return []
    by_meaning = {"title": "title", "awarded_on": "awarded_on", "granted_by": "granted_by", "note": "note"}
    rows = []
    for honour in person.honours.all():
        row: dict[str, str] = {}
        for column in table.columns:
            attribute = by_meaning.get(column.id)
            value = getattr(honour, attribute, "") if attribute else ""
            if isinstance(value, date):
                value = value.strftime("%Y-%m") if column.type == FieldType.MONTH else value.isoformat()
            row[column.id] = str(value or "")
        rows.append(row)
    return rows[: table.max_rows] if table.max_rows else rows


def person_overrides(form: NominationForm, data: dict[str, str]) -> dict[str, str]:
    """Form values keyed by the person attribute they fill, for the live eligibility check."""
    return {f.maps_to: data[f.id] for f in form.fields if f.maps_to and data.get(f.id)}
