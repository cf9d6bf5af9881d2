"""Reading the values people type (forms, Excel, the nomination form) into what the records and rules store.

One place for the things a filler may write in several ways: dates (``2015-09-01``,
``2015/9/1``, ``2015年9月``, an Excel date), title grades (``副教授`` or ``副高级``),
administrative ranks (``正处`` or ``正处级``) and political status. The person
forms, the Excel import and the eligibility facts all read through here, so a
value means the same wherever it was typed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Any

from educio.people.models import PARTY_MEMBER_STATUSES, AdminRank, Position, TitleLevel

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"),
)


def parse_date(value: Any) -> date | None:
    """A date from a date, an ISO string, ``2015/9/1``, ``2015年9月1日`` or a month (``2015-09`` is its 1st day).

    Blank gives ``None``; anything else that is not a real date raises ``ValueError``.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = [int(p) for p in match.groups()]
            return date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    raise ValueError(text)


def _anniversary(start: date, years: int) -> date:
    year = start.year + years
    day = min(start.day, calendar.monthrange(year, start.month)[1])  # 29 February in a common year
    return date(year, start.month, day)


def years_between(start: date, end: date) -> float:
    """Completed calendar years from ``start`` to ``end`` plus the fraction of the year under way.

    Calendar years, not days / 365.25: "满3年" is reached on the third anniversary,
    whether or not a 29 February lies in between.
    """
    if end <= start:
        return 0.0
    whole = end.year - start.year
    if _anniversary(start, whole) > end:
        whole -= 1
    since = _anniversary(start, whole)
    year_length = (_anniversary(start, whole + 1) - since).days
    return whole + (end - since).days / year_length


def floor_tenth(value: float) -> float:
    """Years shown and compared to one decimal, never rounded up (1.96 years is not 满2年)."""
    return int(value * 10 + 1e-9) / 10


_TITLE_WORDS: dict[str, str] = {
    # 正高级
    "教授": TitleLevel.SENIOR,
    "研究员": TitleLevel.SENIOR,
    "正高级教师": TitleLevel.SENIOR,
    "正高级工程师": TitleLevel.SENIOR,
    "正高级实验师": TitleLevel.SENIOR,
    "主任医师": TitleLevel.SENIOR,
    "编审": TitleLevel.SENIOR,
    "研究馆员": TitleLevel.SENIOR,
    # 副高级
    "副教授": TitleLevel.ASSOCIATE_SENIOR,
    "副研究员": TitleLevel.ASSOCIATE_SENIOR,
    "高级教师": TitleLevel.ASSOCIATE_SENIOR,
    "高级讲师": TitleLevel.ASSOCIATE_SENIOR,
    "高级工程师": TitleLevel.ASSOCIATE_SENIOR,
    "高级实验师": TitleLevel.ASSOCIATE_SENIOR,
    "副主任医师": TitleLevel.ASSOCIATE_SENIOR,
    "副编审": TitleLevel.ASSOCIATE_SENIOR,
    "副研究馆员": TitleLevel.ASSOCIATE_SENIOR,
    # 中级
    "讲师": TitleLevel.INTERMEDIATE,
    "一级教师": TitleLevel.INTERMEDIATE,
    "工程师": TitleLevel.INTERMEDIATE,
    "实验师": TitleLevel.INTERMEDIATE,
    "助理研究员": TitleLevel.INTERMEDIATE,
    "主治医师": TitleLevel.INTERMEDIATE,
    "馆员": TitleLevel.INTERMEDIATE,
    # 初级
    "助教": TitleLevel.JUNIOR,
    "二级教师": TitleLevel.JUNIOR,
    "三级教师": TitleLevel.JUNIOR,
    "助理工程师": TitleLevel.JUNIOR,
    "助理实验师": TitleLevel.JUNIOR,
    "医师": TitleLevel.JUNIOR,
    "助理馆员": TitleLevel.JUNIOR,
}
_TITLE_LABELS = {str(label): value for value, label in TitleLevel.choices}
_RANK_LABELS = {str(label): value for value, label in AdminRank.choices}


def _compact(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def title_level_of(text: Any) -> str:
    """The grade of a title as typed: a code, a grade (``副高级``) or a title (``副教授``); else ``""``."""
    value = _compact(text)
    if value in TitleLevel.values:
        return value
    return _TITLE_LABELS.get(value) or _TITLE_WORDS.get(value, "")


def admin_rank_of(text: Any) -> str:
    """The rank as typed: a code, ``正处级`` or ``正处``; else ``""``."""
    value = _compact(text)
    if value in AdminRank.values:
        return value
    return _RANK_LABELS.get(value) or _RANK_LABELS.get(value + "级", "")


def party_member_of(political_status: Any) -> bool | None:
    """Only 中共党员 counts (宜春 第五条(一)); a blank status is not known, not "no"."""
    value = _compact(political_status)
    if not value:
        return None
    return value in PARTY_MEMBER_STATUSES


_POSITION_LABELS = {str(label): value for value, label in Position.choices}


def position_of(text: Any) -> str:
    """A position code from its code or its label (``学校主要负责人``); else ``""``."""
    value = _compact(text)
    if value in Position.values:
        return value
    return _POSITION_LABELS.get(value, "")
