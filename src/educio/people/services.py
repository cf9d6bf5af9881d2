"""Every write to person records. Each runs in one audited transaction; a refused write changes nothing.

The actor must hold ``PERSON_MANAGE`` over the person's unit. Input is checked
here, not only in forms, so the Excel import, the API and the demo loader obey
the same rules as the pages: a plausible birth date (age 18-70), no dates in the
future, a valid phone and e-mail, known position codes, field lengths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from educio.accounts.roles import Perm
from educio.accounts.scope import covers
from educio.audit.models import EventKind
from educio.audit.services import audited, security_event_record
from educio.documents.xlsx import ImportReport, read_sheet
from educio.orgs.models import Organization
from educio.orgs.selectors import org_list
from educio.people import imports
from educio.people.imports import ParsedRow
from educio.people.models import Certificate, CertificateLevel, Experience, Honour, Person, Position
from educio.people.uploads import PHOTO, SCAN, check_upload
from educio.people.values import title_level_of, years_between

PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "political_status",
    "education",
    "degree",
    "university",
    "major",
    "teaching_years",
    "admin_position",
    "positions",
    "professional_title",
    "title_level",
    "admin_rank",
    "joined_unit_on",
    "phone",
    "email",
    "address",
    "work_history",
)
MIN_AGE, MAX_AGE = 18, 70
MAX_TEACHING_YEARS = 60
# Pack vocabulary ids (schema.base.Ident): a certificate or experience kind any pack may define.
IMPORT_CHUNK = 500
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _require_manage(actor: Any, organization: Organization) -> None:
    if not covers(actor, Perm.PERSON_MANAGE, organization):
        raise PermissionDenied(_("您无权维护该单位的人员信息。"))


def _today() -> date:
    return timezone.localdate()


def _delete_file_on_commit(name: str) -> None:
    """A replaced photo or removed scan is personal data: it leaves the disk once the change is committed."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


# --- person -----------------------------------------------------------------------------------


def normalise_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Strip text, keep known fields; a title grade left blank is read from the title (副教授 -> 副高级)."""
    data = {k: fields[k] for k in PERSON_FIELDS if k in fields}
    for key, value in data.items():
        if isinstance(value, str):
            data[key] = value.strip()
        elif value is None and key not in ("birth_date", "joined_unit_on", "teaching_years"):
            data[key] = ""
    if "positions" in data:
        data["positions"] = list(dict.fromkeys(data["positions"] or []))
    if not data.get("title_level") and data.get("professional_title"):
        data["title_level"] = title_level_of(data["professional_title"])
    return data


def _dates_errors(person: Person, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if person.birth_date:
        age = int(years_between(person.birth_date, today)) if person.birth_date < today else -1
        if not MIN_AGE <= age <= MAX_AGE:
            errors["birth_date"] = _("出生日期不合理:年龄应在%(lo)d至%(hi)d岁之间。") % {"lo": MIN_AGE, "hi": MAX_AGE}
    if person.joined_unit_on:
        if person.joined_unit_on > today:
            errors["joined_unit_on"] = _("到本单位工作时间不能晚于今天。")
        elif person.birth_date and person.joined_unit_on <= person.birth_date:
            errors["joined_unit_on"] = _("到本单位工作时间不能早于出生日期。")
    return errors


def check_person(person: Person, today: date | None = None) -> None:
    """Every rule a person record obeys, all errors at once (keyed by field)."""
    today = today or _today()
    errors: dict[str, list[str]] = {k: [v] for k, v in _dates_errors(person, today).items()}
    unknown = [p for p in person.positions or [] if p not in Position.values]
    if unknown:
        errors["positions"] = [_("未知的任职岗位:%(p)s") % {"p": "、".join(map(str, unknown))}]
    if person.teaching_years is not None and person.teaching_years > MAX_TEACHING_YEARS:
        errors["teaching_years"] = [_("教龄不能超过%(n)d年。") % {"n": MAX_TEACHING_YEARS}]
    for field, messages in model_errors(person, exclude=["organization", "created_by", "photo", "positions"]).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def model_errors(row: Any, *, exclude: Iterable[str]) -> dict[str, list[str]]:
    """The model's own checks (lengths, choices, validators), in plain Chinese naming each field."""
    try:
        row.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        return {
            field: [plain_message(type(row), field, e) for e in field_errors]
            for field, field_errors in exc.error_dict.items()
        }
    return {}


def _full_clean(row: Any, *, exclude: Iterable[str]) -> None:
    errors = model_errors(row, exclude=exclude)
    if errors:
        raise ValidationError(errors)


# Django's own wording of these ("确保该变量包含不超过 40 字符") reads like a program talking; these name the field.
PLAIN_MESSAGES = {
    "blank": gettext_lazy("请填写%(label)s。"),
    "null": gettext_lazy("请填写%(label)s。"),
    "max_length": gettext_lazy("%(label)s最多%(limit_value)s个字,现有%(show_value)s个。"),
    "invalid_choice": gettext_lazy("%(label)s“%(value)s”不是可选的值。"),
    "invalid": gettext_lazy("%(label)s格式不正确。"),
}


def plain_message(model: Any, field: str, error: ValidationError) -> str:
    """A model validation error in plain Chinese naming the field; the validator's own message if it has one."""
    own = str(error.message % error.params if error.params else error.message)
    template = PLAIN_MESSAGES.get(error.code or "")
    is_own_validator = error.code == "invalid" and error.message != EmailValidator.message  # e.g. the phone pattern
    if template is None or is_own_validator or field not in {f.name for f in model._meta.get_fields()}:
        return own
    label = str(model._meta.get_field(field).verbose_name)
    return str(template) % {"label": label, **(error.params or {})}


def _refuse_duplicate(person: Person) -> None:
    """The same name and birth date at the same unit is the same person entered twice."""
    if person.birth_date is None:
        return
    others = Person.objects.filter(organization=person.organization, name=person.name, birth_date=person.birth_date)
    if person.pk:
        others = others.exclude(pk=person.pk)
    if others.exists():
        raise ValidationError({"name": _("本单位已有出生日期相同的“%(name)s”,请勿重复录入。") % {"name": person.name}})


def _set_photo(person: Person, photo: Any) -> None:
    """Store the already-checked photo on the unsaved person, and drop the one it replaces after commit."""
    old = person.photo.name if person.photo else ""
    person.photo.save(photo.name, photo, save=False)
    _delete_file_on_commit(old)


def person_create(*, actor: Any, organization: Organization, photo: Any = None, **fields: Any) -> Person:
    """Add a person to ``organization`` (a unit the actor manages)."""
    _require_manage(actor, organization)
    if not organization.is_active:
        raise ValidationError(_("单位“%(org)s”已停用,不能添加人员。") % {"org": organization.name})
    person = Person(organization=organization, created_by=actor, **normalise_person_fields(fields))
    check_person(person)
    if photo:
        check_upload(photo, PHOTO, field="photo")
    with audited(actor):
        _refuse_duplicate(person)
        if photo:
            _set_photo(person, photo)
        person.save()
    return person


def person_update(*, actor: Any, person: Person, photo: Any = None, **fields: Any) -> Person:
    """Change a person's record (and photo); the unit stays the same."""
    _require_manage(actor, person.organization)
    if photo:
        check_upload(photo, PHOTO, field="photo")
    with audited(actor):
        locked = Person.objects.select_for_update().select_related("organization").get(pk=person.pk)
        for key, value in normalise_person_fields(fields).items():
            setattr(locked, key, value)
        check_person(locked)
        _refuse_duplicate(locked)
        if photo:
            _set_photo(locked, photo)
        locked.save()
    return locked


def person_photo_set(*, actor: Any, person: Person, photo: Any) -> Person:
    """Replace the person's photo (JPG/PNG, at most 5 MB)."""
    return person_update(actor=actor, person=person, photo=photo)


def person_set_active(*, actor: Any, person: Person, active: bool) -> Person:
    """Mark a person as having left (or come back); records are kept because nominations refer to them."""
    from educio.appointments.models import AppointmentStatus

    _require_manage(actor, person.organization)
    with audited(actor):
        locked = Person.objects.select_for_update().select_related("organization").get(pk=person.pk)
        if locked.is_active == active:
            raise ValidationError(_("该人员已经是%(s)s状态。") % {"s": _("在职") if active else _("离职")})
        if not active and locked.appointments.filter(status=AppointmentStatus.ACTIVE).exists():
            raise ValidationError(_("该人员仍在任,请先办理任期内变更或取消任命。"))
        locked.is_active = active
        locked.save(update_fields=["is_active", "updated_at"])
    return locked


def person_deactivate(*, actor: Any, person: Person) -> Person:
    return person_set_active(actor=actor, person=person, active=False)


def person_reactivate(*, actor: Any, person: Person) -> Person:
    return person_set_active(actor=actor, person=person, active=True)


# --- experiences, honours, certificates -----------------------------------------------------------


def _check_kind(kind: str, field: str, *, required: bool) -> None:
    if not kind and not required:
        return
    if not KIND_PATTERN.match(kind):
        raise ValidationError({field: _("类别代码只能由小写字母、数字和下划线组成,并以字母开头。")})


def _not_in_future(value: date | None, field: str, label: str) -> None:
    if value and value > _today():
        raise ValidationError({field: _("%(what)s不能晚于今天。") % {"what": label}})


def _clean_and_save(actor: Any, row: Any) -> Any:
    _full_clean(row, exclude=["person"])
    with audited(actor):
        Person.objects.select_for_update().filter(pk=row.person_id).get()
        row.save()
    return row


def experience_add(
    *,
    actor: Any,
    person: Person,
    started_on: date,
    unit_name: str,
    ended_on: date | None = None,
    position: str = "",
    kind: str = "",
) -> Experience:
    """One line of work history; ``kind`` names the pack experience it counts as (blank: none)."""
    _require_manage(actor, person.organization)
    kind = (kind or "").strip()
    _check_kind(kind, "kind", required=False)
    _not_in_future(started_on, "started_on", _("起始时间"))
    _not_in_future(ended_on, "ended_on", _("结束时间"))
    if ended_on and started_on and ended_on < started_on:
        raise ValidationError({"ended_on": _("结束时间不能早于起始时间。")})
    row = Experience(
        person=person,
        started_on=started_on,
        ended_on=ended_on,
        unit_name=(unit_name or "").strip(),
        position=(position or "").strip(),
        kind=kind,
    )
    return _clean_and_save(actor, row)


def honour_add(
    *, actor: Any, person: Person, title: str, awarded_on: date, granted_by: str = "", note: str = ""
) -> Honour:
    """曾获主要荣誉称号和奖励: one honour."""
    _require_manage(actor, person.organization)
    _not_in_future(awarded_on, "awarded_on", _("获得时间"))
    row = Honour(
        person=person,
        title=(title or "").strip(),
        awarded_on=awarded_on,
        granted_by=(granted_by or "").strip(),
        note=(note or "").strip(),
    )
    return _clean_and_save(actor, row)


def certificate_add(
    *,
    actor: Any,
    person: Person,
    kind: str,
    level: str,
    issued_on: date,
    issuer: str,
    number: str = "",
    scan: Any = None,
) -> Certificate:
    """A training certificate; ``kind`` is a pack certificate kind (any pack's: the person may move)."""
    _require_manage(actor, person.organization)
    kind = (kind or "").strip()
    _check_kind(kind, "kind", required=True)
    if level not in CertificateLevel.values:
        raise ValidationError({"level": _("请选择培训级别。")})
    _not_in_future(issued_on, "issued_on", _("发证日期"))
    if scan:
        check_upload(scan, SCAN, field="scan")
    row = Certificate(
        person=person,
        kind=kind,
        level=level,
        issued_on=issued_on,
        issuer=(issuer or "").strip(),
        number=(number or "").strip(),
    )
    _full_clean(row, exclude=["person", "scan"])
    with audited(actor):
        Person.objects.select_for_update().filter(pk=person.pk).get()
        if scan:
            row.scan.save(scan.name, scan, save=False)
        row.save()
    return row


def _remove(actor: Any, row: Experience | Honour | Certificate) -> None:
    _require_manage(actor, row.person.organization)
    with audited(actor):
        Person.objects.select_for_update().filter(pk=row.person_id).get()
        deleted, _rows = type(row)._default_manager.filter(pk=row.pk).delete()
        if not deleted:
            raise ValidationError(_("该记录已被删除。"))


def experience_remove(*, actor: Any, experience: Experience) -> None:
    _remove(actor, experience)


def honour_remove(*, actor: Any, honour: Honour) -> None:
    _remove(actor, honour)


def certificate_remove(*, actor: Any, certificate: Certificate) -> None:
    _remove(actor, certificate)
    _delete_file_on_commit(certificate.scan.name if certificate.scan else "")


# --- Excel import -------------------------------------------------------------------------------


def _resolve_units(actor: Any, root: Organization, refs: set[str]) -> dict[str, list[Organization]]:
    """Units a file names (by name or MOE code), within ``root``'s subtree and the actor's scope."""
    if not refs:
        return {}
    found: dict[str, list[Organization]] = {}
    units = org_list(user=actor, perm=Perm.PERSON_MANAGE).filter(
        Q(name__in=refs) | Q(moe_code__in=refs), path__startswith=root.path
    )
    for unit in units:
        for key in {unit.name, unit.moe_code or ""} & refs:
            found.setdefault(key, []).append(unit)
    return found


def _row_unit(parsed: ParsedRow, root: Organization, units: dict[str, list[Organization]]) -> Organization | str:
    if not parsed.unit_ref:
        return root
    matches = units.get(parsed.unit_ref, [])
    if len(matches) == 1:
        unit = matches[0]
        return unit if unit.is_active else _("单位“%(v)s”已停用") % {"v": parsed.unit_ref}
    if matches:
        return _("有多个名为“%(v)s”的单位,请改填其学校标识码") % {"v": parsed.unit_ref}
    return _("在“%(root)s”及其下级中找不到单位“%(v)s”") % {"root": root.name, "v": parsed.unit_ref}


def _row_errors(person: Person, today: date) -> dict[str, list[str]]:
    try:
        check_person(person, today)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _import_plan(actor: Any, sheet: Any, organization: Organization, result: ImportReport) -> list[Person]:
    """Every row checked, all errors reported; the persons to create when there are none."""
    today = _today()
    parsed_rows = [imports.parse_row(number, cells) for number, cells in sheet.rows]
    units = _resolve_units(actor, organization, {p.unit_ref for p, _e in parsed_rows if p.unit_ref})
    plan: list[Person] = []
    seen: dict[tuple[int, str, date], int] = {}
    for parsed, errors in parsed_rows:
        for column, reason in errors:
            result.add(parsed.row, column, reason)
        unit = _row_unit(parsed, organization, units)
        if isinstance(unit, str):
            result.add(parsed.row, imports.UNIT, unit)
            unit = organization  # the row's other cells are still checked, so the report is complete
        person = Person(organization=unit, created_by=actor, **normalise_person_fields(parsed.fields))
        failed = {column for column, _reason in errors}
        for field, messages in _row_errors(person, today).items():
            column = imports.FIELD_COLUMNS.get(field, field)
            if column not in failed:  # a cell that could not be read is reported once, not twice
                for message in messages:
                    result.add(parsed.row, column, message)
        if person.birth_date:
            key = (unit.pk, person.name, person.birth_date)
            if key in seen:
                result.add(parsed.row, imports.NAME, _("与第%(r)d行重复") % {"r": seen[key]})
            seen.setdefault(key, parsed.row)
        plan.append(person)
    _report_existing(seen, result)
    return plan


def _report_existing(seen: dict[tuple[int, str, date], int], result: ImportReport) -> None:
    """Rows naming a person already on record (same unit, name and birth date), a few hundred names a query."""
    keys = list(seen)
    for start in range(0, len(keys), IMPORT_CHUNK):
        chunk = keys[start : start + IMPORT_CHUNK]
        existing = Person.objects.filter(
            organization_id__in={k[0] for k in chunk}, name__in={k[1] for k in chunk}
        ).values_list("organization_id", "name", "birth_date")
        for unit_pk, name, birth_date in existing:
            row = seen.get((unit_pk, name, birth_date)) if birth_date else None
            if row is not None:
                result.add(row, imports.NAME, _("本单位已有出生日期相同的“%(n)s”") % {"n": name})


def person_import(
    *, actor: Any, upload: Any, organization: Organization, request: HttpRequest | None = None
) -> ImportReport:
    """Validate every row of an uploaded sheet; save all of them, or none if any row is wrong."""
    _require_manage(actor, organization)
    sheet = read_sheet(upload, expected_headers=imports.REQUIRED_HEADERS)
    result = ImportReport(sheet=sheet.sheet)
    plan = _import_plan(actor, sheet, organization, result)
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    with audited(actor):
        for person in plan:
            person.save()
        result.created = len(plan)
        security_event_record(
            kind=EventKind.IMPORT,
            request=request,
            user=actor,
            org_path=organization.path,
            detail=f"人员导入:{result.created} 人,文件 {getattr(upload, 'name', '')}",
        )
    return result
