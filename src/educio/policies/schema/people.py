"""Sections about the people a pack governs: posts, the nomination form, terms, training, assessments."""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from educio.policies.schema.base import (
    Ident,
    Label,
    PackModel,
    Period,
    Text,
    TrainingLevel,
    UnitKind,
)
from educio.workflow.spec import ActingLevel

# --- posts -------------------------------------------------------------------------------------


class Holder(PackModel):
    """A position whose holder may take the post, e.g. the school head, or a deputy when authorised."""

    position: Ident
    label: Label
    condition: Label | None = None
    article: Ident


class Duty(PackModel):
    id: Ident
    name: Label
    article: Ident


class Post(PackModel):
    """A position the pack appoints (the CIO), where it exists and how it is filled."""

    id: Ident
    name: Label
    unit_kinds: list[UnitKind] = Field(min_length=1)
    per_unit: int = Field(default=1, ge=1, le=20)
    holders: list[Holder] = Field(default_factory=list)
    nominated_by: Label | None = None
    appointed_by: Label | None = None
    appointment_document: bool = Field(default=False, description="appointed by an official document (发文聘任)")
    published: bool = Field(default=False, description="the appointment is published (公布)")
    nomination_chain: Ident | None = None
    duties: list[Duty] = Field(default_factory=list)
    article: Ident


# --- nomination form ---------------------------------------------------------------------------


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    DATE = "date"
    MONTH = "month"
    INTEGER = "integer"
    CHOICE = "choice"
    PHONE = "phone"
    EMAIL = "email"


FIELD_TYPE_LABELS = {
    FieldType.TEXT: "文本",
    FieldType.TEXTAREA: "多行文本",
    FieldType.DATE: "日期",
    FieldType.MONTH: "年月",
    FieldType.INTEGER: "整数",
    FieldType.CHOICE: "选项",
    FieldType.PHONE: "电话",
    FieldType.EMAIL: "电子邮箱",
}

MaxLength = Annotated[int, Field(ge=1, le=20000)]


class FormField(PackModel):
    id: Ident
    label: Label
    type: FieldType = FieldType.TEXT
    required: bool = False
    max_length: MaxLength | None = None
    min_value: int | None = None
    max_value: int | None = None
    choices: list[Label] | None = Field(default=None, min_length=1)
    maps_to: Ident | None = Field(default=None, description="the person attribute the field fills, e.g. birth_date")
    help: Label | None = None
    article: Ident | None = None

    @model_validator(mode="after")
    def _limits_fit_type(self) -> FormField:
        if self.type == FieldType.CHOICE and not self.choices:
            raise ValueError("选项类字段必须列出 choices")
        if self.choices and self.type != FieldType.CHOICE:
            raise ValueError("只有 type: choice 的字段可以有 choices")
        if self.max_length is not None and self.type not in (FieldType.TEXT, FieldType.TEXTAREA):
            raise ValueError("max_length 只适用于 text 或 textarea 字段")
        if (self.min_value is not None or self.max_value is not None) and self.type != FieldType.INTEGER:
            raise ValueError("min_value/max_value 只适用于 integer 字段")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValueError("min_value 不能大于 max_value")
        return self


class TableColumn(PackModel):
    id: Ident
    label: Label
    type: FieldType = FieldType.TEXT
    required: bool = False
    max_length: MaxLength | None = None


class FormTable(PackModel):
    """A repeating table on the form, e.g. 曾获主要荣誉称号和奖励."""

    label: Label
    columns: list[TableColumn] = Field(min_length=1, max_length=12)
    max_rows: int | None = Field(default=None, ge=1, le=200)
    article: Ident | None = None


class Photo(PackModel):
    label: Label
    required: bool = True


class Attachment(PackModel):
    id: Ident
    label: Label
    required: bool = False
    when: Label | None = Field(default=None, description="when it is required, e.g. 由副职担任时")
    article: Ident | None = None


class OpinionBlock(PackModel):
    """A signed opinion box on the form, filled by one step of a review chain (its seal flag comes from the step)."""

    chain: Ident
    step: Ident
    label: Label


class Confirmation(PackModel):
    """The filler's statement that the form is true, and that it is signed."""

    text: Label
    signature: bool = True
    article: Ident | None = None


class Submission(PackModel):
    deadline: datetime.date | None = None
    submit_to: Label | None = None
    email: Label | None = None
    copies: list[Label] = Field(default_factory=list)
    article: Ident


class SummarySheet(PackModel):
    title: Label
    article: Ident | None = None


class NominationForm(PackModel):
    """推荐表: the variant a pack prints, field by field."""

    title: Label
    post: Ident | None = None
    fields: list[FormField] = Field(min_length=1, max_length=80)
    honours: FormTable | None = None
    work_history: FormTable | None = None
    photo: Photo | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    confirmation: Confirmation | None = None
    opinions: list[OpinionBlock] = Field(default_factory=list)
    print_note: Label | None = None
    submission: Submission | None = None
    summary_sheet: SummarySheet | None = None
    note: Text | None = None
    article: Ident


# --- term --------------------------------------------------------------------------------------


class Term(PackModel):
    """任期: length, renewals, and what a change during the term requires."""

    posts: list[Ident] | None = None
    min_years: int | None = Field(default=None, ge=1, le=10)
    max_years: int | None = Field(default=None, ge=1, le=10)
    renewable: bool = True
    max_consecutive_terms: int | None = Field(default=None, ge=1, le=10)
    change_must_be_refiled: bool = False
    change_chain: Ident | None = None
    article: Ident
    renewal_article: Ident | None = None
    change_article: Ident | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Term:
        if self.min_years and self.max_years and self.min_years > self.max_years:
            raise ValueError("min_years 不能大于 max_years")
        if not self.renewable and self.max_consecutive_terms not in (None, 1):
            raise ValueError("不可连任时 max_consecutive_terms 只能是 1")
        if self.change_chain and not self.change_must_be_refiled:
            raise ValueError("设置了 change_chain 时 change_must_be_refiled 必须为 true")
        return self


# --- training ----------------------------------------------------------------------------------


class CertificateKind(PackModel):
    id: Ident
    label: Label
    article: Ident | None = None


class TrainingRequirement(PackModel):
    """At least ``min_count`` trainings (of the kinds, at the levels) per period for the holders of ``posts``."""

    id: Ident
    name: Label
    posts: list[Ident] = Field(min_length=1)
    period: Period
    min_count: int = Field(default=1, ge=1, le=100)
    min_hours: float | None = Field(default=None, gt=0, le=1000)
    centralised: bool = False
    certificate_kinds: list[Ident] = Field(default_factory=list)
    organiser_levels: list[TrainingLevel] = Field(default_factory=list)
    article: Ident


class TrainingProgramme(PackModel):
    """A training the document organises (not counted per person), e.g. 校园长信息化领导力培训."""

    id: Ident
    name: Label
    audience: Label
    organiser_levels: list[TrainingLevel] = Field(min_length=1)
    period: Period | None = None
    content: list[Label] = Field(default_factory=list)
    article: Ident


class Training(PackModel):
    levels: list[TrainingLevel] = Field(default_factory=lambda: list(TrainingLevel))
    certificate_kinds: list[CertificateKind] = Field(default_factory=list)
    requirements: list[TrainingRequirement] = Field(default_factory=list)
    programmes: list[TrainingProgramme] = Field(default_factory=list)
    note: Text | None = None


# --- assessments -------------------------------------------------------------------------------


class AssessmentSubject(StrEnum):
    POST_HOLDER = "post_holder"  # the CIO as a person
    UNIT = "unit"  # the school / university as a whole
    DEPARTMENT = "department"  # each department of a university


SUBJECT_LABELS = {
    AssessmentSubject.POST_HOLDER: "任职人员",
    AssessmentSubject.UNIT: "单位",
    AssessmentSubject.DEPARTMENT: "部门/学院",
}

Weight = Annotated[float, Field(gt=0, le=100)]


class Indicator(PackModel):
    id: Ident
    name: Label
    weight: Weight
    evidence: Label | None = None
    guidance: Label | None = None
    article: Ident | None = None
    children: list[Indicator] = Field(default_factory=list, max_length=30)

    @model_validator(mode="after")
    def _children_share_the_weight(self) -> Indicator:
        if self.children:
            total = sum(c.weight for c in self.children)
            if abs(total - self.weight) > 1e-6:
                raise ValueError(f"下级指标权重合计为 {total:g},应等于本指标权重 {self.weight:g}")
        return self


class Grade(PackModel):
    name: Label
    min_score: float = Field(ge=0, le=100)


class ConsequenceAction(StrEnum):
    REVOKE_APPOINTMENT = "revoke_appointment"
    ACCOUNTABILITY = "accountability"


CONSEQUENCE_LABELS = {
    ConsequenceAction.REVOKE_APPOINTMENT: "取消任命",
    ConsequenceAction.ACCOUNTABILITY: "追究责任",
}


class Rectification(PackModel):
    """限期整改: a failing result opens an order; the re-check decides; failing it has a consequence."""

    deadline_days: int | None = Field(default=None, ge=1, le=730)
    recheck: bool = True
    recheck_chain: Ident | None = None
    on_recheck_fail: ConsequenceAction | None = None
    article: Ident


class Recognition(PackModel):
    """表彰奖励 or 追责: who, for what, under which article."""

    who: Label
    criteria: Label
    article: Ident


class Consequences(PackModel):
    on_fail: Rectification | None = None
    commendation: Recognition | None = None
    accountability: Recognition | None = None
    incentive: Recognition | None = None


class AssessmentCycle(PackModel):
    id: Ident
    name: Label
    period: Period | None = None
    subject: AssessmentSubject
    subject_kinds: list[UnitKind] = Field(min_length=1)
    posts: list[Ident] = Field(default_factory=list)
    organiser: ActingLevel | None = None
    organiser_body: Label | None = None
    basis: Label | None = None
    feeds_into: list[Label] = Field(default_factory=list)
    feeds_into_article: Ident | None = None
    indicators: list[Indicator] = Field(default_factory=list, max_length=30)
    indicator_note: Text | None = None
    pass_threshold: float | None = Field(default=None, ge=0, le=100)
    grades: list[Grade] = Field(default_factory=list)
    consequences: Consequences | None = None
    article: Ident

    @model_validator(mode="after")
    def _weights_and_grades(self) -> AssessmentCycle:
        if self.indicators:
            total = sum(i.weight for i in self.indicators)
            if abs(total - 100) > 1e-6:
                raise ValueError(f"一级指标权重合计为 {total:g},应为 100")
            if self.pass_threshold is None:
                raise ValueError("有指标体系的考核必须设置 pass_threshold(合格分数线)")
        scores = [g.min_score for g in self.grades]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise ValueError("grades 必须按 min_score 从高到低排列且互不相同")
        if self.grades and self.grades[-1].min_score != 0:
            raise ValueError("最低一档 grades 的 min_score 必须为 0")
        if self.subject == AssessmentSubject.POST_HOLDER and not self.posts:
            raise ValueError("考核对象为任职人员时必须写明 posts")
        return self


class Assessments(PackModel):
    cycles: list[AssessmentCycle] = Field(min_length=1, max_length=30)
