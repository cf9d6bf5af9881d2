"""Vocabulary shared by every section of a policy pack: identifiers, levels, periods, unit kinds.

These are closed lists on purpose: a pack that names a level the platform does
not know ("town") is refused at load time with the line of the mistake, instead
of being silently ignored when a rule is evaluated.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

IDENT_PATTERN = r"^[a-z][a-z0-9_]*$"

Ident = Annotated[str, StringConstraints(pattern=IDENT_PATTERN, max_length=64)]
"""A stable identifier inside a pack (rule ids, article ids, field ids): ``art_2_2``."""

PackIdent = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*[a-z0-9]$", max_length=64)]
"""A pack's own id, e.g. ``jiaozuo-2022``."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class PackModel(BaseModel):
    """Every pack object: unknown keys are errors (a typo must not pass as "no rule"), values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitKind(StrEnum):
    """Organisation kinds, mirroring ``orgs.models.OrgKind`` (a test keeps the two equal)."""

    BUREAU = "bureau"
    SCHOOL = "school"
    UNIVERSITY = "university"
    DEPARTMENT = "department"


UNIT_KIND_LABELS = {
    UnitKind.BUREAU: "教育行政部门",
    UnitKind.SCHOOL: "学校",
    UnitKind.UNIVERSITY: "高等学校",
    UnitKind.DEPARTMENT: "部门/学院",
}


class BureauLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


BUREAU_LEVEL_LABELS = {BureauLevel.PROVINCE: "省级", BureauLevel.CITY: "市级", BureauLevel.COUNTY: "县级"}


class TrainingLevel(StrEnum):
    """Who organised a training (and so issued its certificate)."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    COUNTY = "county"
    SCHOOL = "school"


TRAINING_LEVEL_LABELS = {
    TrainingLevel.NATIONAL: "国家级",
    TrainingLevel.PROVINCIAL: "省级",
    TrainingLevel.CITY: "市级",
    TrainingLevel.COUNTY: "县级",
    TrainingLevel.SCHOOL: "校级",
}
TRAINING_LEVEL_RANK = {
    TrainingLevel.SCHOOL: 1,
    TrainingLevel.COUNTY: 2,
    TrainingLevel.CITY: 3,
    TrainingLevel.PROVINCIAL: 4,
    TrainingLevel.NATIONAL: 5,
}


class TitleLevel(StrEnum):
    """Professional title (专业技术职务) grades, lowest first."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    ASSOCIATE_SENIOR = "associate_senior"
    SENIOR = "senior"


TITLE_LEVEL_LABELS = {
    TitleLevel.JUNIOR: "初级",
    TitleLevel.INTERMEDIATE: "中级",
    TitleLevel.ASSOCIATE_SENIOR: "副高级",
    TitleLevel.SENIOR: "正高级",
}
TITLE_LEVEL_RANK = {level: rank for rank, level in enumerate(TitleLevel, start=1)}


class AdminRank(StrEnum):
    """Administrative rank (管理职级), lowest first; 县处级 covers division_deputy and division."""

    SECTION_DEPUTY = "section_deputy"
    SECTION = "section"
    DIVISION_DEPUTY = "division_deputy"
    DIVISION = "division"
    BUREAU_DEPUTY = "bureau_deputy"
    BUREAU = "bureau"


ADMIN_RANK_LABELS = {
    AdminRank.SECTION_DEPUTY: "副科级",
    AdminRank.SECTION: "正科级",
    AdminRank.DIVISION_DEPUTY: "副处级",
    AdminRank.DIVISION: "正处级",
    AdminRank.BUREAU_DEPUTY: "副厅级",
    AdminRank.BUREAU: "正厅级",
}
ADMIN_RANK_RANK = {rank: index for index, rank in enumerate(AdminRank, start=1)}


class Period(StrEnum):
    """How often something recurs. ``regular`` is "定期/常态化" where the document sets no number."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMESTER = "semester"
    ANNUAL = "annual"
    BIENNIAL = "biennial"
    TRIENNIAL = "triennial"
    REGULAR = "regular"
    ONCE = "once"


PERIOD_LABELS = {
    Period.MONTHLY: "每月",
    Period.QUARTERLY: "每季度",
    Period.SEMESTER: "每学期",
    Period.ANNUAL: "每年",
    Period.BIENNIAL: "每两年",
    Period.TRIENNIAL: "每三年",
    Period.REGULAR: "定期",
    Period.ONCE: "一次",
}
PERIOD_NOUNS = {
    Period.MONTHLY: "月",
    Period.QUARTERLY: "季度",
    Period.SEMESTER: "学期",
    Period.ANNUAL: "年",
    Period.BIENNIAL: "两年",
    Period.TRIENNIAL: "三年",
    Period.REGULAR: "周期",
    Period.ONCE: "期间",
}


class Severity(StrEnum):
    """A hard rule blocks; a soft rule warns and asks for a written justification."""

    HARD = "hard"
    SOFT = "soft"


SEVERITY_LABELS = {Severity.HARD: "必须满足", Severity.SOFT: "一般应满足"}
