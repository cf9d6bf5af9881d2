"""Indicator trees as stored in templates and cycles (JSON), checked by the same rules as the pack's.

A tree is a list of nodes ``{"id", "name", "weight", "evidence", "guidance",
"article", "children"}`` (the pack's ``Indicator``). First-level weights sum to
100 and each node's children sum to its weight, so a leaf's weight is its
maximum score and a total is out of 100. Grades run from the highest
``min_score`` down to a last grade at 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from educio.policies.schema.base import IDENT_PATTERN
from educio.policies.schema.people import AssessmentCycle as PackCycle

Node = dict[str, Any]
TOLERANCE = Decimal("0.001")
MAX_NODES = 30  # per level, as in the pack schema
TEXT_LIMITS = {"name": 200, "evidence": 200, "guidance": 200, "article": 64}
_IDENT = re.compile(IDENT_PATTERN)


def as_decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def as_number(value: Decimal) -> int | float:
    """A weight as JSON writes it: 20 rather than 20.0, 12.5 as is."""
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Leaf:
    """A scored indicator: its maximum score is its weight."""

    id: str
    name: str
    weight: Decimal
    evidence: str
    guidance: str
    article: str
    parent: str  # the names of the indicators above it, "" for a first-level leaf


def leaves(tree: Iterable[Node], parent: str = "") -> list[Leaf]:
    found: list[Leaf] = []
    for node in tree:
        children = node.get("children") or []
        if children:
            label = f"{parent} / {node['name']}" if parent else str(node["name"])
            found.extend(leaves(children, label))
        else:
            found.append(
                Leaf(
                    id=node["id"],
                    name=node["name"],
                    weight=as_decimal(node["weight"]),
                    evidence=node.get("evidence") or "",
                    guidance=node.get("guidance") or "",
                    article=node.get("article") or "",
                    parent=parent,
                )
            )
    return found


@dataclass(frozen=True)
class Row:
    """One line of a tree as a table shows it."""

    depth: int
    node: Node
    is_leaf: bool
    citation: str


def rows(tree: Iterable[Node], citations: Mapping[str, str] | None = None, depth: int = 0) -> Iterator[Row]:
    citations = citations or {}
    for node in tree:
        children = node.get("children") or []
        yield Row(depth, node, not children, citations.get(node.get("article") or "", ""))
        yield from rows(children, citations, depth + 1)


def depth_of(tree: Iterable[Node]) -> int:
    return max((1 + depth_of(n.get("children") or []) for n in tree), default=0)


def from_pack(cycle: PackCycle) -> list[Node]:
    return normalised([i.model_dump(mode="json") for i in cycle.indicators])


def clean_node(node: Mapping[str, Any]) -> Node:
    return {
        "id": node["id"],
        "name": node["name"],
        "weight": node["weight"],
        "evidence": node.get("evidence") or "",
        "guidance": node.get("guidance") or "",
        "article": node.get("article") or "",
        "children": [clean_node(c) for c in node.get("children") or []],
    }


def grades_from_pack(cycle: PackCycle) -> list[dict[str, Any]]:
    return normalised_grades([{"name": g.name, "min_score": g.min_score} for g in cycle.grades])


# --- checking a tree ---------------------------------------------------------------------------


def _check_node(node: Node, where: str, seen: set[str], errors: list[str]) -> Decimal:
    ident = str(node.get("id") or "")
    if not _IDENT.match(ident) or len(ident) > 64:
        errors.append(
            _("%(where)s的编号“%(id)s”无效:只能用小写字母开头,由小写字母、数字和下划线组成。")
            % {"where": where, "id": ident}
        )
    elif ident in seen:
        errors.append(_("%(where)s的编号“%(id)s”与其他指标重复。") % {"where": where, "id": ident})
    seen.add(ident)
    if not str(node.get("name") or "").strip():
        errors.append(_("%(where)s未填写指标名称。") % {"where": where})
    for key, limit in TEXT_LIMITS.items():
        if len(str(node.get(key) or "")) > limit:
            errors.append(_("%(where)s的内容过长(不超过%(n)d字)。") % {"where": where, "n": limit})
    try:
        weight = as_decimal(node.get("weight"))
    except (InvalidOperation, ValueError):
        errors.append(_("%(where)s的权重不是数字。") % {"where": where})
        return Decimal(0)
    if not (0 < weight <= 100) or weight != weight.quantize(Decimal("0.01")):
        errors.append(_("%(where)s的权重须大于0、不超过100,最多两位小数。") % {"where": where})
    children = node.get("children") or []
    if len(children) > MAX_NODES:
        errors.append(_("%(where)s的下级指标不能超过%(n)d项。") % {"where": where, "n": MAX_NODES})
    if children:
        total = sum(
            (
                _check_node(
                    c,
                    _("“%(parent)s”下的“%(name)s”") % {"parent": node.get("name"), "name": c.get("name")},
                    seen,
                    errors,
                )
                for c in children
            ),
            Decimal(0),
        )
        if abs(total - weight) > TOLERANCE:
            errors.append(
                _("“%(name)s”的下级指标权重合计为 %(total)s,应等于其权重 %(weight)s。")
                % {"name": node.get("name"), "total": _fmt(total), "weight": _fmt(weight)}
            )
    return weight


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_tree(tree: list[Node]) -> list[str]:
    """Every problem of the tree, in Chinese (empty when it is a valid tree)."""
    errors: list[str] = []
    if not tree:
        return [_("请至少设置一项指标。")]
    if len(tree) > MAX_NODES:
        errors.append(_("一级指标不能超过%(n)d项。") % {"n": MAX_NODES})
    seen: set[str] = set()
    total = sum((_check_node(n, _("一级指标“%s”") % n.get("name"), seen, errors) for n in tree), Decimal(0))
    if not errors and abs(total - 100) > TOLERANCE:
        errors.append(_("一级指标权重合计为 %(total)s,应为 100。") % {"total": _fmt(total)})
    return errors


def check_grades(grades: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    names = [str(g.get("name") or "").strip() for g in grades]
    if any(not n for n in names):
        errors.append(_("等级名称不能为空。"))
    if len(set(names)) != len(names):
        errors.append(_("等级名称不能重复。"))
    try:
        scores = [as_decimal(g.get("min_score")) for g in grades]
    except (InvalidOperation, ValueError):
        return [*errors, _("等级的最低分须为数字。")]
    if any(not (0 <= s <= 100) for s in scores):
        errors.append(_("等级的最低分须在 0 到 100 之间。"))
    if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
        errors.append(_("等级须按最低分从高到低排列,且最低分互不相同。"))
    if scores and scores[-1] != 0:
        errors.append(_("最低一档等级的最低分须为 0。"))
    return errors


def check_template(tree: list[Node], pass_threshold: Decimal | None, grades: list[dict[str, Any]]) -> None:
    """Raise one ValidationError listing everything wrong, as the pack's loader would refuse it."""
    errors = check_tree(tree) + check_grades(grades)
    if pass_threshold is None:
        errors.append(_("请设置合格分数线。"))
    elif not (0 <= pass_threshold <= 100):
        errors.append(_("合格分数线须在 0 到 100 之间。"))
    if errors:
        raise ValidationError(errors)


# --- the two-level editor ----------------------------------------------------------------------


@dataclass
class EditorRow:
    """One line of the editor form as posted (kept as typed, so a refused form is shown again as it was)."""

    level: int
    id: str
    name: str
    weight: str
    evidence: str
    guidance: str
    article: str


def editor_rows(tree: Iterable[Node]) -> list[EditorRow]:
    """The tree as editor lines (first and second level; deeper levels are not editable here)."""
    found: list[EditorRow] = []
    for node in tree:
        found.append(_editor_row(1, node))
        found.extend(_editor_row(2, child) for child in node.get("children") or [])
    return found


def _editor_row(level: int, node: Node) -> EditorRow:
    weight = node.get("weight")
    return EditorRow(
        level=level,
        id=str(node.get("id") or ""),
        name=str(node.get("name") or ""),
        weight="" if weight is None else _fmt(as_decimal(weight)),
        evidence=str(node.get("evidence") or ""),
        guidance=str(node.get("guidance") or ""),
        article=str(node.get("article") or ""),
    )


def posted_rows(data: Mapping[str, Any]) -> list[EditorRow]:
    """``row-<n>-<field>`` values in the order of n; blank lines and lines marked for removal are dropped."""
    numbers = sorted({int(m.group(1)) for key in data if (m := re.fullmatch(r"row-(\d+)-name", key))})
    found = []
    for n in numbers:

        def value(field: str, n: int = n) -> str:
            return str(data.get(f"row-{n}-{field}") or "").strip()

        if value("delete") or not (value("name") or value("weight")):
            continue
        found.append(
            EditorRow(
                level=2 if value("level") == "2" else 1,
                id=value("id"),
                name=value("name"),
                weight=value("weight"),
                evidence=value("evidence"),
                guidance=value("guidance"),
                article=value("article"),
            )
        )
    return found


def posted_grades(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    numbers = sorted({int(m.group(1)) for key in data if (m := re.fullmatch(r"grade-(\d+)-name", key))})
    grades = []
    for n in numbers:
        name = str(data.get(f"grade-{n}-name") or "").strip()
        minimum = str(data.get(f"grade-{n}-min") or "").strip()
        if name or minimum:
            grades.append({"name": name, "min_score": minimum})
    return grades


def tree_from_rows(lines: list[EditorRow]) -> list[Node]:
    """Build the tree: a second-level line belongs to the first-level line above it; blank ids are generated."""
    if lines and lines[0].level == 2:
        raise ValidationError(_("第一行必须是一级指标。"))
    taken = {line.id for line in lines if line.id}
    tree: list[Node] = []
    for line in lines:
        node: Node = {
            "id": line.id,
            "name": line.name,
            "weight": line.weight,
            "evidence": line.evidence,
            "guidance": line.guidance,
            "article": line.article,
            "children": [],
        }
        if line.level == 1:
            node["id"] = line.id or _free_id(f"i{len(tree) + 1}", taken)
            tree.append(node)
        else:
            parent = tree[-1]
            node["id"] = line.id or _free_id(f"{parent['id']}_{len(parent['children']) + 1}", taken)
            parent["children"].append(node)
    return tree


def _free_id(candidate: str, taken: set[str]) -> str:
    ident, n = candidate, 1
    while ident in taken:
        n += 1
        ident = f"{candidate}_{n}"
    taken.add(ident)
    return ident


def normalised(tree: list[Node]) -> list[Node]:
    """The checked tree with weights as numbers (called after ``check_tree`` found nothing wrong)."""
    return [
        {**clean_node(n), "weight": as_number(as_decimal(n["weight"])), "children": normalised(n.get("children") or [])}
        for n in tree
    ]


def normalised_grades(grades: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"name": str(g["name"]).strip(), "min_score": as_number(as_decimal(g["min_score"]))} for g in grades]
