"""The whole pack: identity of the source document, its articles, and the optional rule sections.

A section the document does not cover is simply absent (or written as ``~``);
code reading a pack treats an absent section as "no rule", never as an error.
"""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import Field, model_validator

from educio.policies.schema.base import Ident, Label, PackIdent, PackModel, Text, UnitKind
from educio.policies.schema.operations import Coverage, Governance, Infrastructure, Projects, Security
from educio.policies.schema.people import Assessments, NominationForm, Post, Term, Training
from educio.policies.schema.rules import Eligibility
from educio.workflow.spec import ChainSpec

SECTIONS = (
    "posts",
    "nomination_form",
    "eligibility",
    "review_chains",
    "term",
    "assessments",
    "training",
    "governance",
    "coverage",
    "infrastructure",
    "projects",
    "security",
)

SECTION_LABELS = {
    "posts": "岗位设置",
    "nomination_form": "推荐表",
    "eligibility": "任职条件",
    "review_chains": "审核流程",
    "term": "任期",
    "assessments": "考核评价",
    "training": "培养培训",
    "governance": "工作机制",
    "coverage": "覆盖目标",
    "infrastructure": "基础设施与月调度",
    "projects": "规划与项目",
    "security": "网络安全与数据保护",
}


class Article(PackModel):
    """One article of the source document: its number as printed and its verbatim text."""

    id: Ident
    number: Label
    heading: Label | None = None
    text: Text

    @property
    def citation(self) -> str:
        return self.number


class Pack(PackModel):
    id: PackIdent
    version: int = Field(ge=1, le=1_000_000)
    title: Label
    issuer: Label
    doc_number: Label | None = None
    issued_on: datetime.date | None = None
    applies_to: list[UnitKind] = Field(min_length=1)
    note: Text | None = None
    articles: list[Article] = Field(min_length=1, max_length=500)

    posts: list[Post] = Field(default_factory=list, max_length=20)
    nomination_form: NominationForm | None = None
    eligibility: Eligibility | None = None
    review_chains: dict[Ident, ChainSpec] = Field(default_factory=dict, max_length=30)
    term: Term | None = None
    assessments: Assessments | None = None
    training: Training | None = None
    governance: Governance | None = None
    coverage: Coverage | None = None
    infrastructure: Infrastructure | None = None
    projects: Projects | None = None
    security: Security | None = None

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        """``section: ~`` means absent; a chain's id defaults to its key in ``review_chains``."""
        if not isinstance(data, dict):
            return data
        data = {k: v for k, v in data.items() if not (k in SECTIONS and v is None)}
        chains = data.get("review_chains")
        if isinstance(chains, dict):
            data["review_chains"] = {
                key: ({"id": key, **value} if isinstance(value, dict) and "id" not in value else value)
                for key, value in chains.items()
            }
        return data

    def article(self, article_id: str | None) -> Article | None:
        if article_id is None:
            return None
        return next((a for a in self.articles if a.id == article_id), None)

    def present_sections(self) -> list[str]:
        return [name for name in SECTIONS if getattr(self, name)]

    def post(self, post_id: str) -> Post | None:
        return next((p for p in self.posts if p.id == post_id), None)
