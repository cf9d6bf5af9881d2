"""Every write to trainings, enrolments and the certificates they give. Each runs in one audited transaction.

- Organising (create, edit, cancel), recording attendance and results and
  issuing certificates need ``TRAINING_MANAGE`` over the organiser.
- Enrolling needs it over each person's unit, and the person must work inside
  the organiser's subtree: a county enrols its own schools' staff, a school
  its own staff, and a school may send its staff to its county's training.
- A training cannot claim a level above its organiser (a school cannot give a
  county-level CIO certificate, which 焦作 第二条(二) accepts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.accounts.scope import covers
from educio.audit.models import EventKind
from educio.audit.services import audited, security_event_record
from educio.documents.xlsx import ImportReport, SheetRows, read_sheet
from educio.orgs.models import BureauLevel, Organization, OrgKind
from educio.people.models import Certificate, Person
from educio.people.services import model_errors
from educio.policies.schema.base import TRAINING_LEVEL_LABELS, TRAINING_LEVEL_RANK, TrainingLevel
from educio.training import imports
from educio.training.models import Attendance, Enrollment, TrainingEvent, TrainingMode, TrainingResult
from educio.training.selectors import certificate_kinds_for

EVENT_FIELDS = (
    "title",
    "level",
    "kind",
    "centralised",
    "starts_on",
    "ends_on",
    "hours",
    "mode",
    "place",
    "description",
    "issues_certificate",
    "certificate_kind",
)
# Fields a certificate copies from its training: once one is issued they are the certificate's facts.
CERTIFIED_FIELDS = ("level", "ends_on", "issues_certificate", "certificate_kind")
MAX_DAYS = 366
MAX_HOURS = Decimal("1000")
EARLIEST = date(2000, 1, 1)
BUREAU_TRAINING_LEVEL = {
    BureauLevel.PROVINCE: TrainingLevel.PROVINCIAL,
    BureauLevel.CITY: TrainingLevel.CITY,
    BureauLevel.COUNTY: TrainingLevel.COUNTY,
}


def _today() -> date:
    return timezone.localdate()


def _require_organiser(actor: Any, organiser: Organization) -> None:
    if not covers(actor, Perm.TRAINING_MANAGE, organiser):
        raise PermissionDenied(_("您无权管理“%(org)s”组织的培训。") % {"org": organiser.name})


def organiser_level(organiser: Organization) -> TrainingLevel:
    """The highest level a unit's own training has: a bureau's level, else 校级."""
    if organiser.kind == OrgKind.BUREAU:
        return BUREAU_TRAINING_LEVEL.get(BureauLevel(organiser.bureau_level), TrainingLevel.SCHOOL)
    return TrainingLevel.SCHOOL


def hours_text(value: Decimal) -> str:
    """学时 as people write them: 8, 2.5 (never 8.0 or 1E+1)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _level_label(level: str) -> str:
    return TRAINING_LEVEL_LABELS.get(TrainingLevel(level), level)


# --- events ---------------------------------------------------------------------------------------


def _normalise(fields: Mapping[str, Any]) -> dict[str, Any]:
    data = {k: fields[k] for k in EVENT_FIELDS if k in fields}
    for key, value in data.items():
        if isinstance(value, str):
            data[key] = value.strip()
    if "hours" in data and data["hours"] is not None and not isinstance(data["hours"], Decimal):
        data["hours"] = Decimal(str(data["hours"]))
    if not data.get("issues_certificate", True):
        data["certificate_kind"] = ""
    return data


def _date_errors(event: TrainingEvent) -> dict[str, str]:
    errors: dict[str, str] = {}
    if event.starts_on and event.starts_on < EARLIEST:
        errors["starts_on"] = _("开始日期不合理。")
    if event.starts_on and event.ends_on:
        if event.ends_on < event.starts_on:
            errors["ends_on"] = _("结束日期不能早于开始日期。")
        elif (event.ends_on - event.starts_on).days >= MAX_DAYS:
            errors["ends_on"] = _("一次培训不能超过一年,请按期次分别登记。")
    return errors


def check_event(event: TrainingEvent) -> None:
    """Every rule a training obeys, all errors at once (keyed by field)."""
    errors: dict[str, list[str]] = {k: [v] for k, v in _date_errors(event).items()}
    for field, messages in model_errors(event, exclude=["organiser", "created_by"]).items():
        errors.setdefault(field, []).extend(messages)
    own = organiser_level(event.organiser)
    if (
        event.level in TRAINING_LEVEL_RANK
        and TRAINING_LEVEL_RANK[TrainingLevel(event.level)] > TRAINING_LEVEL_RANK[own]
    ):
        errors.setdefault("level", []).append(
            _("“%(org)s”只能组织%(own)s及以下的培训,不能登记为%(level)s。")
            % {"org": event.organiser.name, "own": _level_label(own), "level": _level_label(event.level)}
        )
    if event.hours is not None and not Decimal(0) < event.hours <= MAX_HOURS:
        errors.setdefault("hours", []).append(_("学时应大于0且不超过%(n)s。") % {"n": MAX_HOURS})
    if event.mode == TrainingMode.OFFLINE and not event.place:
        errors.setdefault("place", []).append(_("线下培训请填写培训地点。"))
    if event.issues_certificate:
        kinds = certificate_kinds_for(event.organiser)
        if not event.certificate_kind:
            errors.setdefault("certificate_kind", []).append(_("颁发合格证的培训请选择证书类别。"))
        elif event.certificate_kind not in kinds:
            errors.setdefault("certificate_kind", []).append(
                _("证书类别“%(kind)s”不在适用制度规定的类别中(%(known)s)。")
                % {"kind": event.certificate_kind, "known": "、".join(kinds.values())}
            )
    if errors:
        raise ValidationError(errors)


def event_create(*, actor: Any, organiser: Organization, **fields: Any) -> TrainingEvent:
    """A new training organised by ``organiser`` (a unit the actor manages trainings of)."""
    _require_organiser(actor, organiser)
    if not organiser.is_active:
        raise ValidationError(_("单位“%(org)s”已停用,不能组织培训。") % {"org": organiser.name})
    event = TrainingEvent(organiser=organiser, created_by=actor, **_normalise(fields))
    check_event(event)
    with audited(actor):
        event.save()
    return event


def _locked(event: TrainingEvent) -> TrainingEvent:
    return TrainingEvent.objects.select_for_update().select_related("organiser").get(pk=event.pk)


def _refuse_if_cancelled(event: TrainingEvent) -> None:
    if event.is_cancelled:
        raise ValidationError(_("该培训已取消。"))


def event_update(*, actor: Any, event: TrainingEvent, **fields: Any) -> TrainingEvent:
    """Change a training; what its issued certificates copied (level, end date, kind) is then fixed."""
    _require_organiser(actor, event.organiser)
    with audited(actor):
        locked = _locked(event)
        _refuse_if_cancelled(locked)
        data = _normalise(fields)
        certified = locked.enrollments.filter(certificate__isnull=False).exists()
        changed = [k for k in CERTIFIED_FIELDS if k in data and data[k] != getattr(locked, k)]
        if certified and changed:
            raise ValidationError(_("该培训已颁发合格证,不能再修改培训级别、结束日期和证书设置。"))
        for key, value in data.items():
            setattr(locked, key, value)
        check_event(locked)
        locked.save()
    return locked


def event_cancel(*, actor: Any, event: TrainingEvent, reason: str = "") -> TrainingEvent:
    """Cancel a training that gave no certificate; it stays listed, flagged, and counts for nobody."""
    _require_organiser(actor, event.organiser)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因。")})
    with audited(actor):
        locked = _locked(event)
        _refuse_if_cancelled(locked)
        if locked.enrollments.filter(certificate__isnull=False).exists():
            raise ValidationError(_("该培训已颁发合格证,不能取消。"))
        locked.is_cancelled = True
        locked.cancel_reason = reason[:200]
        locked.save(update_fields=["is_cancelled", "cancel_reason", "updated_at"])
    return locked


# --- enrolment ------------------------------------------------------------------------------------


def _enrol_refusal(actor: Any, event: TrainingEvent, person: Person) -> str:
    unit = person.organization
    if not unit.path.startswith(event.organiser.path):
        return _("%(name)s(%(unit)s)不在“%(org)s”的管辖范围内") % {
            "name": person.name,
            "unit": unit.name,
            "org": event.organiser.name,
        }
    if not covers(actor, Perm.TRAINING_MANAGE, unit):
        return _("您无权为%(unit)s的%(name)s报名") % {"name": person.name, "unit": unit.name}
    if not person.is_active:
        return _("%(name)s已离职") % {"name": person.name}
    return ""


def enrol(*, actor: Any, event: TrainingEvent, persons: Iterable[Person]) -> list[Enrollment]:
    """Enrol persons of the organiser's subtree whom the actor manages; all of them, or none."""
    persons = list(dict.fromkeys(persons))
    if not persons:
        raise ValidationError({"persons": _("请选择要报名的人员。")})
    refusals = [r for p in persons if (r := _enrol_refusal(actor, event, p))]
    if refusals:
        raise ValidationError({"persons": _("不能报名:") + ";".join(refusals) + "。"})
    with audited(actor):
        locked = _locked(event)
        _refuse_if_cancelled(locked)
        taken = set(locked.enrollments.filter(person__in=persons).values_list("person__name", flat=True))
        if taken:
            raise ValidationError({"persons": _("已报名:") + "、".join(sorted(taken)) + "。"})
        # One by one, not bulk_create: each enrolment is a row of the audit trail.
        return [Enrollment.objects.create(event=locked, person=p, enrolled_by=actor) for p in persons]


def enrollment_remove(*, actor: Any, enrollment: Enrollment) -> None:
    """Withdraw an enrolment before any attendance was recorded (by the organiser or the person's unit)."""
    allowed = covers(actor, Perm.TRAINING_MANAGE, enrollment.event.organiser) or covers(
        actor, Perm.TRAINING_MANAGE, enrollment.person.organization
    )
    if not allowed:
        raise PermissionDenied(_("您无权撤销该报名。"))
    with audited(actor):
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if locked.attendance != Attendance.ENROLLED:
            raise ValidationError(_("已登记考勤的报名不能撤销。"))
        locked.delete()


# --- attendance and results -----------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """What the organiser records for one enrolment: attendance, hours and result."""

    attendance: str
    hours: Decimal | None = None
    result: str = ""


def record_errors(event: TrainingEvent, record: Record, today: date) -> dict[str, str]:
    """Why ``record`` cannot be saved for an enrolment of ``event`` (empty when it can), keyed by field."""
    errors: dict[str, str] = {}
    if record.attendance not in Attendance.values:
        errors["attendance"] = _("请选择出勤情况。")
    elif record.attendance != Attendance.ENROLLED and event.starts_on > today:
        errors["attendance"] = _("培训尚未开始,不能登记考勤。")
    if record.result not in TrainingResult.values:
        errors["result"] = _("考核结果只能是合格或不合格。")
    elif record.result and record.attendance != Attendance.ATTENDED:
        errors["result"] = _("未参训的人员不能评定考核结果。")
    if record.hours is not None:
        if record.attendance != Attendance.ATTENDED:
            errors["hours_attended"] = _("未参训的人员不计学时。")
        elif not Decimal(0) <= record.hours <= event.hours:
            errors["hours_attended"] = _("获得学时应在0至%(n)s之间。") % {"n": hours_text(event.hours)}
    return errors


def _apply(enrollment: Enrollment, record: Record) -> None:
    if enrollment.certificate_id and record.result != TrainingResult.PASSED:
        raise ValidationError(
            _("%(name)s已获发合格证,不能改为未合格;如需更正,请先在人员信息中删除该证书。")
            % {"name": enrollment.person.name}
        )
    enrollment.attendance = record.attendance
    enrollment.result = record.result
    if record.attendance == Attendance.ATTENDED:
        enrollment.hours_attended = record.hours if record.hours is not None else enrollment.event.hours
    else:
        enrollment.hours_attended = None


def enrollment_record(
    *, actor: Any, enrollment: Enrollment, attendance: str, hours_attended: Any = None, result: str = ""
) -> Enrollment:
    """Record attendance, hours (full hours when left blank) and result of one enrolment."""
    event = enrollment.event
    _require_organiser(actor, event.organiser)
    hours = Decimal(str(hours_attended)) if hours_attended not in (None, "") else None
    record = Record(attendance, hours, result or "")
    errors = record_errors(event, record, _today())
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        _refuse_if_cancelled(_locked(event))
        locked = Enrollment.objects.select_for_update().select_related("event", "person").get(pk=enrollment.pk)
        _apply(locked, record)
        locked.save()
    return locked


# --- certificates ---------------------------------------------------------------------------------


def _number_prefix(event: TrainingEvent) -> str:
    return f"{event.ends_on.year}-{event.pk}-"


def _next_numbers(event: TrainingEvent, count: int) -> list[str]:
    """``<年份>-<培训编号>-<序号>``, continuing after the highest number this training already gave."""
    prefix = _number_prefix(event)
    used = Certificate.objects.filter(enrollment__event=event, number__startswith=prefix).values_list(
        "number", flat=True
    )
    highest = max((int(n[len(prefix) :]) for n in used if n[len(prefix) :].isdigit()), default=0)
    return [f"{prefix}{highest + i:03d}" for i in range(1, count + 1)]


def _check_numbers(event: TrainingEvent, numbers: Mapping[int, str]) -> None:
    given = {pk: n.strip() for pk, n in numbers.items() if n and n.strip()}
    values = list(given.values())
    repeated = sorted({n for n in values if values.count(n) > 1})
    if repeated:
        raise ValidationError({"number": _("证书编号重复:%(n)s。") % {"n": "、".join(repeated)}})
    taken = Certificate.objects.filter(kind=event.certificate_kind, number__in=values).values_list("number", flat=True)
    if taken:
        raise ValidationError({"number": _("证书编号已被使用:%(n)s。") % {"n": "、".join(sorted(taken))}})


def certificates_issue(
    *,
    actor: Any,
    event: TrainingEvent,
    enrollments: Iterable[Enrollment] | None = None,
    numbers: Mapping[int, str] | None = None,
) -> list[Certificate]:
    """Give a certificate to every passed enrolment without one (or to ``enrollments``); numbers auto unless given.

    The certificate copies the training: kind, level, 发证日期 = the last day of
    the training, 发证单位 = the organiser. ``numbers`` maps enrolment ids to the
    numbers printed on paper certificates.
    """
    _require_organiser(actor, event.organiser)
    numbers = dict(numbers or {})
    _check_numbers(event, numbers)
    with audited(actor):
        locked = _locked(event)
        _refuse_if_cancelled(locked)
        if not locked.issues_certificate:
            raise ValidationError(_("该培训不颁发合格证。"))
        if locked.ends_on > _today():
            raise ValidationError(_("培训结束后才能发证(结束日期:%(d)s)。") % {"d": f"{locked.ends_on:%Y年%m月%d日}"})
        pending = locked.enrollments.select_for_update().filter(result=TrainingResult.PASSED, certificate__isnull=True)
        if enrollments is not None:
            pending = pending.filter(pk__in=[e.pk for e in enrollments])
        rows = list(
            pending.select_related("person__organization").order_by("person__organization__path", "person__name", "pk")
        )
        if not rows:
            raise ValidationError(_("没有待发证的合格人员。"))
        automatic = iter(_next_numbers(locked, sum(1 for r in rows if not numbers.get(r.pk, "").strip())))
        issued = []
        for row in rows:
            certificate = Certificate.objects.create(
                person=row.person,
                kind=locked.certificate_kind,
                level=locked.level,
                number=numbers.get(row.pk, "").strip() or next(automatic),
                issued_on=locked.ends_on,
                issuer=locked.organiser.name,
            )
            row.certificate = certificate
            row.save(update_fields=["certificate", "updated_at"])
            issued.append(certificate)
    return issued


# --- attendance import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRow:
    enrollment: Enrollment
    record: Record
    number: str  # a certificate number to issue with (blank: none to issue from this row)


def _number_error(event: TrainingEvent, enrollment: Enrollment, record: Record, number: str, today: date) -> str:
    if enrollment.certificate is not None:
        return (
            ""
            if number == enrollment.certificate.number
            else _("已发证,证书编号为%(n)s") % {"n": enrollment.certificate.number}
        )
    if not event.issues_certificate:
        return _("该培训不颁发合格证")
    if record.result != TrainingResult.PASSED:
        return _("考核结果为合格才能填写证书编号")
    if event.ends_on > today:
        return _("培训结束后才能发证")
    return ""


def _plan_row(
    event: TrainingEvent, parsed: imports.ParsedRow, enrollment: Enrollment, report: ImportReport, today: date
) -> PlannedRow:
    record = Record(parsed.attendance, parsed.hours, parsed.result)
    for field, reason in record_errors(event, record, today).items():
        report.add(parsed.row, imports.FIELD_COLUMNS[field], reason)
    if enrollment.certificate is not None and record.result != TrainingResult.PASSED:
        report.add(parsed.row, imports.RESULT, _("已获发合格证,不能改为未合格"))
    number = parsed.number.strip()
    if number:
        problem = _number_error(event, enrollment, record, number, today)
        if problem:
            report.add(parsed.row, imports.NUMBER, problem)
    issue = number if number and enrollment.certificate is None else ""
    return PlannedRow(enrollment, record, issue)


def _check_planned_numbers(event: TrainingEvent, plan: list[tuple[int, PlannedRow]], report: ImportReport) -> None:
    """Numbers repeated in the file, or already printed on another certificate of the same kind."""
    first: dict[str, int] = {}
    for row, planned in plan:
        if planned.number in first:
            report.add(row, imports.NUMBER, _("与第%(r)d行的证书编号重复") % {"r": first[planned.number]})
        elif planned.number:
            first[planned.number] = row
    taken = set(
        Certificate.objects.filter(kind=event.certificate_kind, number__in=list(first)).values_list("number", flat=True)
    )
    for number in sorted(taken):
        report.add(first[number], imports.NUMBER, _("证书编号%(n)s已被使用") % {"n": number})


def _attendance_plan(event: TrainingEvent, sheet: SheetRows, report: ImportReport) -> list[PlannedRow]:
    """Every row matched and checked, every error reported; the changes to make when there are none."""
    today = _today()
    enrollments = list(event.enrollments.select_related("person__organization", "certificate"))
    plan: list[tuple[int, PlannedRow]] = []
    seen: dict[int, int] = {}
    for number, cells in sheet.rows:
        parsed, errors = imports.parse_row(number, cells)
        for column, reason in errors:
            report.add(number, column, reason)
        if not parsed.name:
            continue
        found = imports.match(parsed, enrollments)
        if isinstance(found, str):
            report.add(number, imports.PHONE if parsed.phone else imports.NAME, found)
            continue
        if found.pk in seen:
            report.add(number, imports.NAME, _("与第%(r)d行是同一人") % {"r": seen[found.pk]})
            continue
        seen[found.pk] = number
        if not errors:  # a cell that could not be read is reported once, not again by the rules
            plan.append((number, _plan_row(event, parsed, found, report, today)))
    _check_planned_numbers(event, plan, report)
    return [planned for _row, planned in plan]


def attendance_import(
    *, actor: Any, event: TrainingEvent, upload: Any, request: HttpRequest | None = None
) -> ImportReport:
    """Validate every row of an attendance sheet; save all of them (and issue the numbered certificates), or none."""
    _require_organiser(actor, event.organiser)
    _refuse_if_cancelled(event)
    sheet = read_sheet(upload, expected_headers=imports.REQUIRED_HEADERS)
    report = ImportReport(sheet=sheet.sheet)
    plan = _attendance_plan(event, sheet, report)
    if not plan and not report.errors:
        report.add(2, imports.NAME, _("文件中没有数据行"))
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report
    with audited(actor):
        _refuse_if_cancelled(_locked(event))
        for planned in plan:
            locked = (
                Enrollment.objects.select_for_update().select_related("event", "person").get(pk=planned.enrollment.pk)
            )
            _apply(locked, planned.record)
            locked.save()
        numbered = {p.enrollment.pk: p.number for p in plan if p.number}
        if numbered:
            enrollments = [p.enrollment for p in plan if p.number]
            certificates_issue(actor=actor, event=event, enrollments=enrollments, numbers=numbered)
        report.created = len(plan)
        security_event_record(
            kind=EventKind.IMPORT,
            request=request,
            user=actor,
            org_path=event.organiser.path,
            detail=f"培训考勤导入:{event.title},{report.created} 人,文件 {getattr(upload, 'name', '')}",
        )
    return report
