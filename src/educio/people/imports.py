"""The Excel layout of a person import: template, labels, row parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from educio.documents.xlsx import Column, import_labels
from educio.people.models import AdminRank, Gender, PoliticalStatus, Position, TitleLevel
from educio.people.values import admin_rank_of, parse_date, position_of, title_level_of

UNIT = "所在单位"
NAME = "姓名"
GENDER = "性别"
BIRTH = "出生日期"
ETHNICITY = "民族"
POLITICAL = "政治面貌"
EDUCATION = "学历"
DEGREE = "学位"
UNIVERSITY = "毕业院校"
MAJOR = "所学专业"
TEACHING = "教龄"
ADMIN_POSITION = "现任行政职务"
POSITIONS = "任职岗位"
TITLE = "专业技术职务"
TITLE_LEVEL = "职称等级"
RANK = "管理职级"
JOINED = "到本单位工作时间"
PHONE = "手机号码"
EMAIL = "电子邮箱"
ADDRESS = "通信地址"

HEADERS = [
    UNIT,
    NAME,
    GENDER,
    BIRTH,
    ETHNICITY,
    POLITICAL,
    EDUCATION,
    DEGREE,
    UNIVERSITY,
    MAJOR,
    TEACHING,
    ADMIN_POSITION,
    POSITIONS,
    TITLE,
    TITLE_LEVEL,
    RANK,
    JOINED,
    PHONE,
    EMAIL,
    ADDRESS,
]
REQUIRED_HEADERS = [NAME, GENDER]

# Which column a model field's error belongs to in the report.
FIELD_COLUMNS = {
    "name": NAME,
    "gender": GENDER,
    "birth_date": BIRTH,
    "ethnicity": ETHNICITY,
    "political_status": POLITICAL,
    "education": EDUCATION,
    "degree": DEGREE,
    "university": UNIVERSITY,
    "major": MAJOR,
    "teaching_years": TEACHING,
    "admin_position": ADMIN_POSITION,
    "positions": POSITIONS,
    "professional_title": TITLE,
    "title_level": TITLE_LEVEL,
    "admin_rank": RANK,
    "joined_unit_on": JOINED,
    "phone": PHONE,
    "email": EMAIL,
    "address": ADDRESS,
    "organization": UNIT,
    "__all__": NAME,
}
POSITION_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def template_columns() -> list[Column]:
    def labels(choices: Any) -> list[str]:
        return [str(label) for _value, label in choices]

    return [
        Column(UNIT, 28, note=_("留空即导入到当前单位;也可填写下级单位的名称或学校标识码")),
        Column(NAME, 10),
        Column(GENDER, 6, choices=labels(Gender.choices)),
        Column(BIRTH, 12),
        Column(ETHNICITY, 8),
        Column(POLITICAL, 12, choices=labels(PoliticalStatus.choices)),
        Column(EDUCATION, 12),
        Column(DEGREE, 10),
        Column(UNIVERSITY, 20),
        Column(MAJOR, 18),
        Column(TEACHING, 6),
        Column(ADMIN_POSITION, 14),
        Column(POSITIONS, 24),
        Column(TITLE, 14),
        Column(TITLE_LEVEL, 10, choices=labels(TitleLevel.choices)),
        Column(RANK, 10, choices=labels(AdminRank.choices)),
        Column(JOINED, 14),
        Column(PHONE, 14),
        Column(EMAIL, 22),
        Column(ADDRESS, 30),
    ]


def example_row(unit_name: str) -> list[str]:
    return [
        unit_name,
        "张明",
        str(Gender.MALE.label),
        "1980-05-12",
        "汉族",
        str(PoliticalStatus.PARTY_MEMBER.label),
        "本科",
        "教育学学士",
        "河南师范大学",
        "教育技术学",
        "20",
        "副校长",
        f"{Position.DEPUTY_HEAD.label}",
        "高级教师",
        str(TitleLevel.ASSOCIATE_SENIOR.label),
        "",
        "2012-09-01",
        "13800000000",
        "zhangming@example.cn",
        "示例路1号",
    ]


@dataclass
class ParsedRow:
    row: int
    unit_ref: str
    fields: dict[str, Any]


def _choice(cells: dict[str, str], column: str, choices: Any, errors: list[tuple[str, str]]) -> str:
    value = cells.get(column, "")
    by_label = import_labels(choices)
    if value and value not in by_label and value not in by_label.values():
        errors.append((column, _("“%(v)s”不是有效的%(c)s") % {"v": value, "c": column}))
        return ""
    return by_label.get(value, value)


def _date(cells: dict[str, str], column: str, errors: list[tuple[str, str]]) -> Any:
    try:
        return parse_date(cells.get(column, ""))
    except ValueError:
        errors.append((column, _("“%(v)s”不是有效的日期,请写成 2015-09-01") % {"v": cells[column]}))
        return None


def _positions(text: str, errors: list[tuple[str, str]]) -> list[str]:
    codes: list[str] = []
    for part in POSITION_SEPARATORS.split(text or ""):
        if not part:
            continue
        code = position_of(part)
        if not code:
            known = "、".join(str(label) for _v, label in Position.choices)
            errors.append((POSITIONS, _("“%(v)s”不是有效的任职岗位,可填:%(k)s") % {"v": part, "k": known}))
        elif code not in codes:
            codes.append(code)
    return codes


def _teaching_years(text: str, errors: list[tuple[str, str]]) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        errors.append((TEACHING, _("“%(v)s”不是有效的年数,请填写整数") % {"v": text}))
        return None
    return int(text)


def _graded(cells: dict[str, str], column: str, read: Any, errors: list[tuple[str, str]]) -> str:
    value = cells.get(column, "")
    code = read(value) if value else ""
    if value and not code:
        errors.append((column, _("“%(v)s”不是有效的%(c)s") % {"v": value, "c": column}))
    return str(code)


def parse_row(row: int, cells: dict[str, str]) -> tuple[ParsedRow, list[tuple[str, str]]]:
    """Turn labels into codes; return the parsed row and (column, reason) errors."""
    errors: list[tuple[str, str]] = []
    for column in (NAME, GENDER):
        if not cells.get(column):
            errors.append((column, _("不能为空")))
    fields = {
        "name": cells.get(NAME, ""),
        "gender": _choice(cells, GENDER, Gender.choices, errors) if cells.get(GENDER) else "",
        "birth_date": _date(cells, BIRTH, errors),
        "ethnicity": cells.get(ETHNICITY, ""),
        "political_status": _choice(cells, POLITICAL, PoliticalStatus.choices, errors),
        "education": cells.get(EDUCATION, ""),
        "degree": cells.get(DEGREE, ""),
        "university": cells.get(UNIVERSITY, ""),
        "major": cells.get(MAJOR, ""),
        "teaching_years": _teaching_years(cells.get(TEACHING, ""), errors),
        "admin_position": cells.get(ADMIN_POSITION, ""),
        "positions": _positions(cells.get(POSITIONS, ""), errors),
        "professional_title": cells.get(TITLE, ""),
        "title_level": _graded(cells, TITLE_LEVEL, title_level_of, errors),
        "admin_rank": _graded(cells, RANK, admin_rank_of, errors),
        "joined_unit_on": _date(cells, JOINED, errors),
        "phone": cells.get(PHONE, ""),
        "email": cells.get(EMAIL, ""),
        "address": cells.get(ADDRESS, ""),
    }
    return ParsedRow(row=row, unit_ref=cells.get(UNIT, ""), fields=fields), errors
