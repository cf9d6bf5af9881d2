"""Totals and grades from the pack's weights: means over reviewers, missing scores, zero scores, thresholds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from educio.assessments import indicators, scoring
from educio.assessments.tests.factories import pack_cycle

pytestmark = pytest.mark.django_db

D = Decimal


def jiaozuo_leaves() -> list[indicators.Leaf]:
    _pack, spec = pack_cycle()
    return indicators.leaves(indicators.from_pack(spec))


def test_the_pack_weights_are_the_maxima_and_sum_to_100() -> None:
    leaves = jiaozuo_leaves()
    assert [(leaf.id, leaf.weight) for leaf in leaves] == [
        ("planning", 20),
        ("rules", 15),
        ("teacher_application", 20),
        ("teacher_training", 15),
        ("student_ability", 10),
        ("environment_security", 20),
    ]
    full = scoring.leaf_means((leaf.id, leaf.weight) for leaf in leaves)
    assert scoring.total_of(leaves, full) == D("100.00")


def test_a_leaf_scores_the_mean_of_its_reviewers_and_the_total_is_their_sum() -> None:
    leaves = jiaozuo_leaves()
    given = [(leaf.id, leaf.weight * D("0.6")) for leaf in leaves]  # reviewer A: 60 in all
    given += [(leaf.id, leaf.weight * D("0.5")) for leaf in leaves]  # reviewer B: 50 in all
    means = scoring.leaf_means(given)
    assert means["planning"] == D("11")  # (12 + 10) / 2
    assert scoring.total_of(leaves, means) == D("55.00")


def test_a_missing_score_is_not_a_zero_but_a_zero_counts() -> None:
    leaves = jiaozuo_leaves()
    partial = [(leaf.id, leaf.weight) for leaf in leaves[:-1]]  # environment_security (20) unscored
    means = scoring.leaf_means(partial)
    assert scoring.total_of(leaves, means) is None
    assert [leaf.id for leaf in scoring.unscored(leaves, means)] == ["environment_security"]
    with_zero = scoring.leaf_means([*partial, ("environment_security", D(0))])
    assert scoring.total_of(leaves, with_zero) == D("80.00")


def test_one_reviewer_missing_a_leaf_leaves_the_mean_to_the_others() -> None:
    leaves = jiaozuo_leaves()
    given = [(leaf.id, leaf.weight) for leaf in leaves] + [("planning", D(0))]
    assert scoring.total_of(leaves, scoring.leaf_means(given)) == D("90.00")  # planning: (20 + 0) / 2


def test_the_pack_grades_pass_at_60() -> None:
    _pack, spec = pack_cycle()
    grades = indicators.grades_from_pack(spec)
    threshold = D(str(spec.pass_threshold))
    assert scoring.grade_of(D("60.00"), grades, threshold) == scoring.Result(D("60.00"), "合格", True)
    assert scoring.grade_of(D("59.99"), grades, threshold) == scoring.Result(D("59.99"), "不合格", False)
    assert scoring.grade_of(D("0"), grades, threshold).grade == "不合格"


def test_grades_follow_min_scores_and_passing_follows_the_threshold() -> None:
    grades = [
        {"name": "优秀", "min_score": 90},
        {"name": "良好", "min_score": 75},
        {"name": "合格", "min_score": 60},
        {"name": "不合格", "min_score": 0},
    ]
    assert scoring.grade_of(D("92.5"), grades, D(60)).grade == "优秀"
    assert scoring.grade_of(D("75"), grades, D(60)).grade == "良好"
    assert scoring.grade_of(D("74.99"), grades, D(60)).grade == "合格"
    assert scoring.grade_of(D("59"), grades, D(60)).passed is False
    # Without a threshold, anything above the lowest grade passes.
    assert scoring.grade_of(D("61"), grades, None).passed is True
    assert scoring.grade_of(D("10"), grades, None).passed is False


def test_without_grades_the_threshold_says_pass_or_fail() -> None:
    assert scoring.grade_of(D("70"), [], D(70)) == scoring.Result(D("70"), "合格", True)
    assert scoring.grade_of(D("69.5"), [], D(70)) == scoring.Result(D("69.5"), "不合格", False)


def test_a_tree_is_checked_like_the_pack() -> None:
    good = [
        {"id": "a", "name": "规划", "weight": 40, "children": [{"id": "a1", "name": "规划文本", "weight": 40}]},
        {"id": "b", "name": "应用", "weight": 60},
    ]
    assert indicators.check_tree(good) == []
    assert "一级指标权重合计为 90,应为 100。" in indicators.check_tree([{**good[0]}, {**good[1], "weight": 50}])
    bad_child = [{**good[0], "children": [{"id": "a1", "name": "规划文本", "weight": 30}]}, good[1]]
    assert any("应等于其权重 40" in e for e in indicators.check_tree(bad_child))
    assert any("重复" in e for e in indicators.check_tree([good[0], {**good[1], "id": "a"}]))
    assert any("编号" in e for e in indicators.check_tree([good[0], {**good[1], "id": "B-1"}]))
    assert indicators.check_tree([]) == ["请至少设置一项指标。"]
    assert indicators.check_grades([{"name": "合格", "min_score": 60}, {"name": "不合格", "min_score": 0}]) == []
    assert indicators.check_grades([{"name": "合格", "min_score": 0}, {"name": "不合格", "min_score": 60}])
    assert any("最低一档" in e for e in indicators.check_grades([{"name": "合格", "min_score": 60}]))
