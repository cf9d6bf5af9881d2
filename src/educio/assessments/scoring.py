"""Totals and grades from the reviewers' scores, by the cycle's weights and thresholds.

A leaf's score is the mean of the scores its reviewers gave; the total is the
sum over the leaves. A missing score is not a zero: while any leaf has no
score at all there is no total (zero is a valid score and counts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from educio.assessments.indicators import Leaf, as_decimal

CENT = Decimal("0.01")


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def leaf_means(scores: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The mean score of each leaf over the reviewers who scored it: ``(indicator_id, score)`` pairs in."""
    given: dict[str, list[Decimal]] = defaultdict(list)
    for indicator_id, score in scores:
        given[indicator_id].append(score)
    return {leaf: sum(values, Decimal(0)) / len(values) for leaf, values in given.items()}


def unscored(leaves: Sequence[Leaf], means: dict[str, Decimal]) -> list[Leaf]:
    return [leaf for leaf in leaves if leaf.id not in means]


def total_of(leaves: Sequence[Leaf], means: dict[str, Decimal]) -> Decimal | None:
    """The total out of 100, or None while a leaf is unscored."""
    if unscored(leaves, means):
        return None
    return rounded(sum((means[leaf.id] for leaf in leaves), Decimal(0)))


@dataclass(frozen=True)
class Result:
    total: Decimal
    grade: str
    passed: bool


def grade_of(total: Decimal, grades: Sequence[dict[str, Any]], pass_threshold: Decimal | None) -> Result:
    """The first grade (highest first) whose minimum the total reaches; without grades 合格/不合格 by the threshold.

    Passing is the threshold when there is one, otherwise anything above the lowest grade.
    """
    if pass_threshold is not None:
        passed = total >= pass_threshold
    elif len(grades) > 1:
        passed = total >= as_decimal(grades[-2]["min_score"])  # any grade above the lowest one
    else:
        passed = True
    grade = next((str(g["name"]) for g in grades if total >= as_decimal(g["min_score"])), "")
    if not grade:
        grade = _("合格") if passed else _("不合格")
    return Result(total=total, grade=grade, passed=passed)
