"""The Excel layout of an attendance import: template, labels, row parsing (matching and rules are in services)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from educio.accounts.masking import mask_phone
from educio.documents.xlsx import Column, import_labels
from educio.training.models import Attendance, Enrollment, TrainingResult

NAME = "姓名"
UNIT = "单位"
PHONE = "手机号"
ATTENDANCE = "出勤"
HOURS = "学时"
RESULT = "结果"
NUMBER = "证书编号"

HEADERS = [NAME, UNIT, PHONE, ATTENDANCE, HOURS, RESULT, NUMBER]
REQUIRED_HEADERS = [NAME, ATTENDANCE]

ATTENDANCE_BY_LABEL = {
    **import_labels(Attendance.choices),
    # What people type instead of the dropdown's words.
    "参训": Attendance.ATTENDED,
    "出勤": Attendance.ATTENDED,
    "未参训": Attendance.ABSENT,
}
RESULT_BY_LABEL = {label: value for label, value in import_labels(TrainingResult.choices).items() if value}
ATTENDANCE_LABELS = {value: label for label, value in import_labels(Attendance.choices).items()}
RESULT_LABELS = {value: label for label, value in import_labels(TrainingResult.choices).items()}
ATTENDANCE_CHOICES = [ATTENDANCE_LABELS[Attendance.ATTENDED], ATTENDANCE_LABELS[Attendance.ABSENT]]
FIELD_COLUMNS = {"attendance": ATTENDANCE, "hours_attended": HOURS, "result": RESULT, "number": NUMBER}
_PHONE_NOISE = re.compile(r"[\s-]")


def template_columns() -> list[Column]:
    return [
        Column(NAME, 12),
        Column(UNIT, 28),
        Column(PHONE, 16, note=_("用于区分同名人员;带*号的脱敏号码不参与匹配")),
        Column(ATTENDANCE, 10, choices=ATTENDANCE_CHOICES),
        Column(HOURS, 8),
        Column(RESULT, 10, choices=list(RESULT_BY_LABEL)),
        Column(NUMBER, 20),
    ]


def template_rows(enrollments: Iterable[Enrollment]) -> list[list[Any]]:
    """One row per enrolled person, with what is already recorded (so a re-import changes nothing by accident)."""
    return [
        [
            e.person.name,
            e.person.organization.name,
            mask_phone(e.person.phone),
            str(ATTENDANCE_LABELS[e.attendance]) if e.attendance != Attendance.ENROLLED else "",
            e.hours_attended if e.hours_attended is not None else "",
            str(RESULT_LABELS[e.result]) if e.result else "",
            e.certificate.number if e.certificate else "",
        ]
        for e in enrollments
    ]


def normalise_phone(value: str) -> str:
    """Digits only; a masked number (138****5678) identifies nobody and is treated as blank."""
    value = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", value or ""))
    return "" if "*" in value else value


@dataclass
class ParsedRow:
    row: int
    name: str
    unit: str
    phone: str
    attendance: str
    hours: Decimal | None
    result: str
    number: str


def _hours(value: str) -> tuple[Decimal | None, str]:
    if not value:
        return None, ""
    try:
        hours = Decimal(unicodedata.normalize("NFKC", value))
    except InvalidOperation:
        return None, _("“%(v)s”不是数字") % {"v": value}
    if not hours.is_finite():
        return None, _("“%(v)s”不是数字") % {"v": value}
    return hours, ""


def parse_row(row: int, cells: dict[str, str]) -> tuple[ParsedRow, list[tuple[str, str]]]:
    """Turn the labels into codes; return the parsed row and (column, reason) errors."""
    errors: list[tuple[str, str]] = []
    name = cells.get(NAME, "")
    if not name:
        errors.append((NAME, _("不能为空")))
    attendance_label = cells.get(ATTENDANCE, "")
    attendance = ATTENDANCE_BY_LABEL.get(attendance_label, "")
    if not attendance_label:
        errors.append((ATTENDANCE, _("不能为空,请填写“已参训”或“缺勤”")))
    elif not attendance:
        errors.append((ATTENDANCE, _("“%(v)s”不是有效的出勤情况") % {"v": attendance_label}))
    result_label = cells.get(RESULT, "")
    result = RESULT_BY_LABEL.get(result_label, "")
    if result_label and not result:
        errors.append((RESULT, _("“%(v)s”不是有效的考核结果,请填写“合格”或“不合格”") % {"v": result_label}))
    hours, problem = _hours(cells.get(HOURS, ""))
    if problem:
        errors.append((HOURS, problem))
    parsed = ParsedRow(
        row=row,
        name=name,
        unit=cells.get(UNIT, ""),
        phone=normalise_phone(cells.get(PHONE, "")),
        attendance=attendance,
        hours=hours,
        result=result,
        number=cells.get(NUMBER, ""),
    )
    return parsed, errors


def match(parsed: ParsedRow, enrollments: Sequence[Enrollment]) -> Enrollment | str:
    """The enrolment a row names: by phone when given, else by name (and unit); a reason when none or several."""
    if parsed.phone:
        found = [e for e in enrollments if normalise_phone(e.person.phone) == parsed.phone]
        if not found:
            return _("本培训的报名人员中没有手机号为%(p)s的人员") % {"p": parsed.phone}
        if found[0].person.name != parsed.name:
            return _("手机号对应的报名人员是“%(n)s”,与姓名不符") % {"n": found[0].person.name}
        return found[0]
    found = [e for e in enrollments if e.person.name == parsed.name]
    if parsed.unit:
        found = [e for e in found if parsed.unit in (e.person.organization.name, e.person.organization.short_name)]
    if not found:
        where = _("(%(u)s)") % {"u": parsed.unit} if parsed.unit else ""
        return _("“%(n)s”%(w)s未报名本次培训") % {"n": parsed.name, "w": where}
    if len(found) > 1:
        return _("有%(c)d名报名人员叫“%(n)s”,请填写单位或手机号") % {"c": len(found), "n": parsed.name}
    return found[0]
