"""How pack content reads in Chinese on the pages: labels of every code, and rule trees as sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from educio.accounts.roles import Role
from educio.policies.eligibility import Vocabulary
from educio.policies.schema.base import (
    ADMIN_RANK_LABELS,
    BUREAU_LEVEL_LABELS,
    PERIOD_LABELS,
    SEVERITY_LABELS,
    TITLE_LEVEL_LABELS,
    TRAINING_LEVEL_LABELS,
    UNIT_KIND_LABELS,
)
from educio.policies.schema.operations import (
    BODY_KIND_LABELS,
    DUTY_KIND_LABELS,
    PROJECT_STAGE_LABELS,
    VALUE_TYPE_LABELS,
)
from educio.policies.schema.people import CONSEQUENCE_LABELS, FIELD_TYPE_LABELS, SUBJECT_LABELS
from educio.policies.schema.rules import Condition
from educio.workflow.spec import ActingLevel, Opinion

ACTING_LEVEL_LABELS = {
    ActingLevel.SELF: "本单位",
    ActingLevel.PARENT: "上级单位",
    ActingLevel.COUNTY_BUREAU: "县级教育行政部门",
    ActingLevel.CITY_BUREAU: "市级教育行政部门",
    ActingLevel.PROVINCE_BUREAU: "省级教育行政部门",
    ActingLevel.UNIVERSITY: "本校(高等学校)",
    ActingLevel.ROOT: "制度采用单位",
}
OPINION_LABELS = {Opinion.REQUIRED: "须填写意见", Opinion.OPTIONAL: "意见可选"}

VOCABULARIES: dict[str, dict[Any, str]] = {
    "level": dict(ACTING_LEVEL_LABELS),
    "opinion": dict(OPINION_LABELS),
    "role": {value: str(label) for value, label in Role.choices},
    "unit_kind": dict(UNIT_KIND_LABELS),
    "bureau_level": dict(BUREAU_LEVEL_LABELS),
    "training_level": dict(TRAINING_LEVEL_LABELS),
    "title": dict(TITLE_LEVEL_LABELS),
    "rank": dict(ADMIN_RANK_LABELS),
    "period": dict(PERIOD_LABELS),
    "severity": dict(SEVERITY_LABELS),
    "field_type": dict(FIELD_TYPE_LABELS),
    "subject": dict(SUBJECT_LABELS),
    "consequence": dict(CONSEQUENCE_LABELS),
    "body_kind": dict(BODY_KIND_LABELS),
    "value_type": dict(VALUE_TYPE_LABELS),
    "duty_kind": dict(DUTY_KIND_LABELS),
    "stage": dict(PROJECT_STAGE_LABELS),
}


def label(value: Any, vocabulary: str) -> str:
    """The Chinese label of a code (``label("county_bureau", "level")`` -> 县级教育行政部门)."""
    if value is None or value == "":
        return ""
    labels = VOCABULARIES.get(vocabulary, {})
    return labels.get(value, labels.get(str(value), str(value)))


def labels(values: Any, vocabulary: str) -> str:
    return "、".join(label(v, vocabulary) for v in values or ())


@dataclass
class Described:
    """A rule tree as nested sentences, for a ``<ul>``."""

    text: str
    children: list[Described] = field(default_factory=list)


def describe(node: Condition, vocab: Vocabulary) -> Described:
    op = node.operator
    if op == "all_of":
        return Described("同时满足以下各项:", [describe(c, vocab) for c in node.children])
    if op == "any_of":
        return Described("满足以下任一项:", [describe(c, vocab) for c in node.children])
    if op == "not":
        assert node.not_ is not None
        return Described("不得属于以下情形:", [describe(node.not_, vocab)])
    return Described(_leaf_text(node, vocab))


def _leaf_text(node: Condition, vocab: Vocabulary) -> str:
    if node.has_certificate:
        kind = vocab.certificates.get(node.has_certificate.kind, node.has_certificate.kind)
        level = TRAINING_LEVEL_LABELS[node.has_certificate.min_level]
        return f"持有{level}及以上{kind}"
    if node.years_in_role:
        kind = vocab.experiences.get(node.years_in_role.kind, node.years_in_role.kind)
        return f"{kind}满{node.years_in_role.min:g}年"
    if node.years_at_unit:
        return f"在本单位任职满{node.years_at_unit.min:g}年"
    if node.party_member is not None:
        return "中共党员" if node.party_member else "非中共党员"
    if node.title_at_least:
        return f"专业技术职务{TITLE_LEVEL_LABELS[node.title_at_least.level]}及以上"
    if node.rank_at_least:
        return f"管理职级{ADMIN_RANK_LABELS[node.rank_at_least.rank]}及以上"
    if node.holds_position:
        return "现任" + "或".join(vocab.positions.get(p, p) for p in node.holds_position.positions)
    if node.attested:
        return f"已提供“{vocab.attestations.get(node.attested.kind, node.attested.kind)}”的证明"
    return f"由审核人判断:{node.manual}"
