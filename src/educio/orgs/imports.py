"""The Excel layout of an organisation import: template, labels, row parsing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from educio.documents.xlsx import Column, import_labels
from educio.orgs.models import BureauLevel, OrgKind, SchoolType

PARENT = "上级单位"
NAME = "单位名称"
SHORT = "简称"
KIND = "类别"
LEVEL = "行政级别"
TYPE = "学校类型"
MOE = "学校标识码"
REGION = "行政区划代码"
ADDRESS = "地址"
CONTACT = "联系人"
PHONE = "联系电话"

HEADERS = [PARENT, NAME, SHORT, KIND, LEVEL, TYPE, MOE, REGION, ADDRESS, CONTACT, PHONE]
REQUIRED_HEADERS = [NAME, KIND]

KIND_BY_LABEL = import_labels(OrgKind.choices)
LEVEL_BY_LABEL = import_labels(BureauLevel.choices)
TYPE_BY_LABEL = import_labels(SchoolType.choices)


def template_columns() -> list[Column]:
    return [
        Column(PARENT, 28),
        Column(NAME, 28),
        Column(SHORT, 14),
        Column(KIND, 14, choices=list(KIND_BY_LABEL)),
        Column(LEVEL, 10, choices=list(LEVEL_BY_LABEL)),
        Column(TYPE, 18, choices=list(TYPE_BY_LABEL)),
        Column(MOE, 14),
        Column(REGION, 14),
        Column(ADDRESS, 30),
        Column(CONTACT, 10),
        Column(PHONE, 16),
    ]


def example_row(parent_name: str) -> list[str]:
    return [
        parent_name,
        "示例第一小学",
        "一小",
        str(OrgKind.SCHOOL.label),
        "",
        str(SchoolType.PRIMARY.label),
        "2141000001",
        "410802",
        "示例路1号",
        "张老师",
        "0391-0000000",
    ]


def normalise_code(value: str) -> str:
    """Codes typed with a Chinese input method arrive as full-width digits (４１０８…)."""
    return unicodedata.normalize("NFKC", value or "").strip()


@dataclass
class ParsedRow:
    row: int
    parent_ref: str
    fields: dict[str, Any]


def parse_row(row: int, cells: dict[str, str]) -> tuple[ParsedRow, list[tuple[str, str]]]:
    """Turn labels into codes; return the parsed row and (column, reason) errors."""
    errors: list[tuple[str, str]] = []
    kind = KIND_BY_LABEL.get(cells.get(KIND, ""), "")
    if not cells.get(KIND):
        errors.append((KIND, _("不能为空")))
    elif not kind:
        errors.append((KIND, _("“%(v)s”不是有效的类别") % {"v": cells[KIND]}))
    level = LEVEL_BY_LABEL.get(cells.get(LEVEL, ""), "")
    if cells.get(LEVEL) and not level:
        errors.append((LEVEL, _("“%(v)s”不是有效的行政级别") % {"v": cells[LEVEL]}))
    school_type = TYPE_BY_LABEL.get(cells.get(TYPE, ""), "")
    if cells.get(TYPE) and not school_type:
        errors.append((TYPE, _("“%(v)s”不是有效的学校类型") % {"v": cells[TYPE]}))
    if kind == OrgKind.SCHOOL and not cells.get(TYPE):
        errors.append((TYPE, _("学校必须填写学校类型")))
    if not cells.get(NAME):
        errors.append((NAME, _("不能为空")))
    fields = {
        "name": cells.get(NAME, ""),
        "short_name": cells.get(SHORT, ""),
        "kind": kind,
        "bureau_level": level,
        "school_type": school_type,
        "moe_code": normalise_code(cells.get(MOE, "")),
        "region_code": normalise_code(cells.get(REGION, "")),
        "address": cells.get(ADDRESS, ""),
        "contact_person": cells.get(CONTACT, ""),
        "contact_phone": cells.get(PHONE, ""),
    }
    return ParsedRow(row=row, parent_ref=cells.get(PARENT, ""), fields=fields), errors


FIELD_COLUMNS = {
    "name": NAME,
    "short_name": SHORT,
    "kind": KIND,
    "bureau_level": LEVEL,
    "school_type": TYPE,
    "moe_code": MOE,
    "region_code": REGION,
    "address": ADDRESS,
    "contact_person": CONTACT,
    "contact_phone": PHONE,
    "parent": PARENT,
    "__all__": NAME,
}
