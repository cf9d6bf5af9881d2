"""The eligibility vocabulary: a small tree of named conditions, never evaluated text.

Each node is a mapping with exactly one operator key, so a rule reads like the
article it encodes::

    any_of:
      - has_certificate: {kind: cio_training, min_level: county}
      - all_of:
          - has_certificate: {kind: informatization_training, min_level: city}
          - years_in_role: {kind: school_informatization_management, min: 2}

Only the operators below exist; anything else is an error at load time.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from educio.policies.schema.base import (
    AdminRank,
    Ident,
    Label,
    PackModel,
    Severity,
    Text,
    TitleLevel,
    TrainingLevel,
)

OPERATORS = (
    "all_of",
    "any_of",
    "not",
    "has_certificate",
    "years_in_role",
    "years_at_unit",
    "party_member",
    "title_at_least",
    "rank_at_least",
    "holds_position",
    "attested",
    "manual",
)

Years = Annotated[float, Field(ge=0, le=60)]


class HasCertificate(PackModel):
    """A certificate of ``kind`` issued at ``min_level`` or higher (national > provincial > city > county > school)."""

    kind: Ident
    min_level: TrainingLevel = TrainingLevel.SCHOOL


class YearsInRole(PackModel):
    """At least ``min`` years of a kind of work, e.g. school informatization management."""

    kind: Ident
    min: Years


class YearsAtUnit(PackModel):
    min: Years


class TitleAtLeast(PackModel):
    level: TitleLevel


class RankAtLeast(PackModel):
    rank: AdminRank


class HoldsPosition(PackModel):
    """Holds one of the positions (declared by the pack's posts' holders)."""

    positions: list[Ident] = Field(min_length=1, max_length=20)


class Attested(PackModel):
    """A fact the nomination form attests (an authorisation, a signed statement)."""

    kind: Ident


class Condition(PackModel):
    """One node of a rule tree: exactly one operator key is set."""

    all_of: list[Condition] | None = Field(default=None, min_length=1, max_length=20)
    any_of: list[Condition] | None = Field(default=None, min_length=1, max_length=20)
    not_: Condition | None = Field(default=None, alias="not")
    has_certificate: HasCertificate | None = None
    years_in_role: YearsInRole | None = None
    years_at_unit: YearsAtUnit | None = None
    party_member: bool | None = None
    title_at_least: TitleAtLeast | None = None
    rank_at_least: RankAtLeast | None = None
    holds_position: HoldsPosition | None = None
    attested: Attested | None = None
    manual: Label | None = Field(default=None, description="a criterion a reviewer judges; never decided by data")

    @model_validator(mode="after")
    def _exactly_one_operator(self) -> Condition:
        present = self.operators_present()
        if len(present) != 1:
            names = "、".join(OPERATORS)
            if not present:
                raise ValueError(f"条件必须恰好包含一个运算符(可选:{names})")
            raise ValueError(f"条件只能包含一个运算符,却同时写了:{'、'.join(present)}")
        return self

    def operators_present(self) -> list[str]:
        return [op for op in OPERATORS if getattr(self, "not_" if op == "not" else op) is not None]

    @property
    def operator(self) -> str:
        return self.operators_present()[0]

    @property
    def children(self) -> list[Condition]:
        if self.all_of is not None:
            return list(self.all_of)
        if self.any_of is not None:
            return list(self.any_of)
        if self.not_ is not None:
            return [self.not_]
        return []

    def walk(self) -> list[Condition]:
        """This node and every node below it, depth first."""
        nodes: list[Condition] = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


class EligibilityRule(Condition):
    """A top-level rule: an id, the article it encodes, hard or soft, and its condition inline."""

    id: Ident
    article: Ident
    severity: Severity = Severity.HARD
    label: Label
    posts: list[Ident] | None = Field(default=None, description="posts the rule applies to; all when absent")


class Eligibility(PackModel):
    """任职条件. ``experience_kinds`` and ``attestation_kinds`` name the facts the rules may ask for."""

    experience_kinds: dict[Ident, Label] = Field(default_factory=dict)
    attestation_kinds: dict[Ident, Label] = Field(default_factory=dict)
    rules: list[EligibilityRule] = Field(min_length=1, max_length=100)
    note: Text | None = None
