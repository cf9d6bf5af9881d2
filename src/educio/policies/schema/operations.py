"""Sections about how units run informatization: governance, coverage, infrastructure, projects, security."""

from __future__ import annotations

import datetime
from enum import StrEnum

from pydantic import Field, model_validator

from educio.policies.schema.base import BureauLevel, Ident, Label, PackModel, Period, Text, UnitKind
from educio.workflow.spec import ActingLevel

# --- governance --------------------------------------------------------------------------------


class BodyKind(StrEnum):
    COMMITTEE = "committee"
    LEADING_GROUP = "leading_group"
    OFFICE = "office"
    LIAISONS = "liaisons"
    EXPERT_PANEL = "expert_panel"
    GUIDANCE_TEAM = "guidance_team"
    WORKING_MEETING = "working_meeting"


BODY_KIND_LABELS = {
    BodyKind.COMMITTEE: "委员会(决策)",
    BodyKind.LEADING_GROUP: "领导小组",
    BodyKind.OFFICE: "办公室(协调)",
    BodyKind.LIAISONS: "联络员(执行)",
    BodyKind.EXPERT_PANEL: "专家咨询机构",
    BodyKind.GUIDANCE_TEAM: "指导团队",
    BodyKind.WORKING_MEETING: "工作会议",
}


class Seat(PackModel):
    """Who sits in a body: a named seat (副主任委员 = the CIO), or ``per_unit_kinds`` seats (one per department)."""

    id: Ident
    title: Label
    held_by: Label
    post: Ident | None = None
    per_unit_kinds: list[UnitKind] = Field(default_factory=list)
    count: int = Field(default=1, ge=1, le=50)
    article: Ident


class MeetingRule(PackModel):
    period: Period
    min_count: int = Field(default=1, ge=1, le=50)
    convened_by: Label | None = None
    ad_hoc_allowed: bool = False
    minutes_required: bool = False
    minutes_published: bool = False
    article: Ident


class Body(PackModel):
    id: Ident
    kind: BodyKind
    name: Label
    layer: Label | None = None
    unit_kinds: list[UnitKind] = Field(min_length=1)
    bureau_levels: list[BureauLevel] = Field(default_factory=list)
    duties: list[Label] = Field(default_factory=list)
    seats: list[Seat] = Field(default_factory=list)
    meetings: MeetingRule | None = None
    article: Ident


class Governance(PackModel):
    bodies: list[Body] = Field(min_length=1, max_length=30)


# --- coverage ----------------------------------------------------------------------------------


class CoverageTarget(PackModel):
    """A share of units that must have the post filled, by a date (e.g. every school has a CIO by 2025)."""

    id: Ident
    name: Label
    post: Ident
    unit_kinds: list[UnitKind] = Field(min_length=1)
    share_percent: float = Field(gt=0, le=100)
    by: datetime.date | None = None
    article: Ident


class Coverage(PackModel):
    targets: list[CoverageTarget] = Field(min_length=1)


# --- infrastructure ----------------------------------------------------------------------------


class ValueType(StrEnum):
    BOOLEAN = "boolean"
    PERCENT = "percent"
    COUNT = "count"
    NUMBER = "number"


VALUE_TYPE_LABELS = {
    ValueType.BOOLEAN: "是/否",
    ValueType.PERCENT: "百分比",
    ValueType.COUNT: "数量",
    ValueType.NUMBER: "数值",
}


class MetricTarget(PackModel):
    """By ``year`` (or the date ``by``), ``share_of_units`` percent of the units reach ``min_value`` (or "yes")."""

    year: int = Field(ge=2000, le=2100)
    by: datetime.date | None = None
    share_of_units: float = Field(default=100, gt=0, le=100)
    min_value: float | None = None
    article: Ident

    @model_validator(mode="after")
    def _date_in_year(self) -> MetricTarget:
        if self.by is not None and self.by.year != self.year:
            raise ValueError(f"by ({self.by}) 不在 year ({self.year}) 年内")
        return self

    @property
    def due(self) -> datetime.date:
        return self.by or datetime.date(self.year, 12, 31)


class Metric(PackModel):
    id: Ident
    name: Label
    subject_kinds: list[UnitKind] = Field(min_length=1)
    bureau_levels: list[BureauLevel] = Field(default_factory=list)
    value_type: ValueType
    unit: Label | None = None
    targets: list[MetricTarget] = Field(default_factory=list)
    article: Ident

    @model_validator(mode="after")
    def _targets_fit_type(self) -> Metric:
        for target in self.targets:
            if self.value_type == ValueType.BOOLEAN and target.min_value is not None:
                raise ValueError("是/否类指标的目标不能设置 min_value")
            if self.value_type != ValueType.BOOLEAN and target.min_value is None:
                raise ValueError("数值类指标的每个目标都必须设置 min_value")
            if self.value_type == ValueType.PERCENT and target.min_value is not None and target.min_value > 100:
                raise ValueError("百分比指标的 min_value 不能超过 100")
        years = [t.year for t in self.targets]
        if years != sorted(years):
            raise ValueError("targets 必须按年份先后排列")
        return self


class Reporting(PackModel):
    """月调度: who reports progress, how often, to whom, and by which day."""

    name: Label
    cadence: Period
    due_day: int | None = Field(default=None, ge=1, le=28)
    reporters: list[UnitKind] = Field(min_length=1)
    reporter_bureau_levels: list[BureauLevel] = Field(default_factory=list)
    recipient: ActingLevel
    note: Label | None = None
    article: Ident


class IntegrationRule(PackModel):
    """A platform rule every application must follow, e.g. unified identity and single sign-on."""

    id: Ident
    name: Label
    applies_to: Label
    article: Ident


class Infrastructure(PackModel):
    metrics: list[Metric] = Field(default_factory=list)
    reporting: Reporting | None = None
    integration: list[IntegrationRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Infrastructure:
        if not (self.metrics or self.reporting or self.integration):
            raise ValueError("infrastructure 至少要有 metrics、reporting 或 integration 之一")
        return self


# --- projects ----------------------------------------------------------------------------------


class ProjectStage(StrEnum):
    BEFORE_START = "before_start"
    STAGE = "stage"
    FINAL = "final"


PROJECT_STAGE_LABELS = {
    ProjectStage.BEFORE_START: "立项前审核",
    ProjectStage.STAGE: "阶段性验收",
    ProjectStage.FINAL: "竣工验收",
}


class ProjectReview(PackModel):
    id: Ident
    name: Label
    scope: Label
    submitters: list[UnitKind] = Field(min_length=1)
    stage: ProjectStage = ProjectStage.BEFORE_START
    reviewer: ActingLevel
    reviewer_body: Label | None = None
    chain: Ident | None = None
    checks: list[Label] = Field(default_factory=list)
    article: Ident


class BannedCategory(PackModel):
    id: Ident
    name: Label
    applies_to: list[UnitKind] = Field(min_length=1)
    article: Ident


class PlanRequirement(PackModel):
    """A plan units must draw up: a development plan, an annual work or construction plan."""

    id: Ident
    name: Label
    period: Period | None = None
    unit_kinds: list[UnitKind] = Field(min_length=1)
    bureau_levels: list[BureauLevel] = Field(default_factory=list)
    article: Ident


class Projects(PackModel):
    """信息化规划与项目: plans to draw up, reviews before and after building, what may not be built."""

    plans: list[PlanRequirement] = Field(default_factory=list)
    reviews: list[ProjectReview] = Field(default_factory=list)
    banned_categories: list[BannedCategory] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Projects:
        if not (self.plans or self.reviews or self.banned_categories):
            raise ValueError("projects 至少要有 plans、reviews 或 banned_categories 之一")
        return self


# --- security ----------------------------------------------------------------------------------


class DutyKind(StrEnum):
    SECURITY_CHECK = "security_check"
    DRILL = "drill"
    SECURITY_WEEK = "security_week"
    SELF_INSPECTION = "self_inspection"
    RISK_ASSESSMENT = "risk_assessment"
    EDUCATION = "education"
    INCIDENT_HANDLING = "incident_handling"


DUTY_KIND_LABELS = {
    DutyKind.SECURITY_CHECK: "安全检查",
    DutyKind.DRILL: "应急演练",
    DutyKind.SECURITY_WEEK: "网络安全宣传周",
    DutyKind.SELF_INSPECTION: "安全自查",
    DutyKind.RISK_ASSESSMENT: "风险评估与隐患排查",
    DutyKind.EDUCATION: "安全宣传教育",
    DutyKind.INCIDENT_HANDLING: "安全事件处置",
}


class SecurityDuty(PackModel):
    id: Ident
    kind: DutyKind
    name: Label
    period: Period | None = None
    organiser: ActingLevel | None = None
    performers: list[UnitKind] = Field(min_length=1)
    article: Ident


class Equipment(PackModel):
    id: Ident
    name: Label
    unit_kinds: list[UnitKind] = Field(min_length=1)
    article: Ident


class RequiredDocument(PackModel):
    id: Ident
    name: Label
    unit_kinds: list[UnitKind] = Field(min_length=1)
    article: Ident


class DataRule(PackModel):
    id: Ident
    name: Label
    text: Text
    article: Ident


class Security(PackModel):
    duties: list[SecurityDuty] = Field(default_factory=list)
    equipment: list[Equipment] = Field(default_factory=list)
    documents: list[RequiredDocument] = Field(default_factory=list)
    data_protection: list[DataRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Security:
        if not (self.duties or self.equipment or self.documents or self.data_protection):
            raise ValueError("security 至少要有 duties、equipment、documents 或 data_protection 之一")
        return self
