"""A bad pack file is reported as file:line: path: reason — never as a traceback."""

from __future__ import annotations

import pytest

from educio.policies.loader import PackInvalid, check_pack_source, parse_pack
from educio.policies.tests.conftest import MINIMAL, pack_text


def errors_of(text: str | bytes, filename: str = "t.yaml") -> list[str]:
    parsed, errors = check_pack_source(text, filename=filename)
    assert parsed is None
    return [str(e) for e in errors]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_minimal_pack_loads_and_absent_sections_are_no_rule():
    pack = parse_pack(MINIMAL).pack
    assert pack.posts == []
    assert pack.eligibility is None
    assert pack.review_chains == {}
    assert pack.present_sections() == []


def test_a_section_written_as_null_is_absent():
    pack = parse_pack(MINIMAL + "training: ~\nposts: ~\n").pack
    assert pack.training is None
    assert pack.posts == []


def test_unknown_level_names_the_line_and_path():
    text = pack_text("wuhai-2023").replace(
        "actor: {level: city_bureau, role: bureau_reviewer}", "actor: {level: town, role: bureau_reviewer}"
    )
    line = line_of(text, "level: town")
    assert errors_of(text, "wuhai-2023.yaml") == [
        f"wuhai-2023.yaml:{line}: review_chains.project_review.steps[0].actor.level: "
        "未知的级别 'town'(可选:self, parent, county_bureau, city_bureau, province_bureau, university, root)"
    ]


def test_unknown_field_points_at_the_key():
    text = MINIMAL + "posts:\n  - id: cio\n    name: CIO\n    unit_kinds: [school]\n    article: a1\n    salary: 1\n"
    assert errors_of(text) == [f"t.yaml:{line_of(text, 'salary')}: posts[0].salary: 不认识的字段(请检查拼写)"]


def test_missing_field_points_at_its_mapping():
    text = MINIMAL + "posts:\n  - id: cio\n    unit_kinds: [school]\n    article: a1\n"
    assert errors_of(text) == [f"t.yaml:{line_of(text, '- id: cio')}: posts[0].name: 缺少必填项"]


def test_citing_a_missing_article_is_an_error():
    text = MINIMAL + "posts:\n  - id: cio\n    name: CIO\n    unit_kinds: [school]\n    article: a9\n"
    assert errors_of(text) == [f"t.yaml:{line_of(text, 'article: a9')}: posts[0].article: 引用了不存在的条款 'a9'"]


def test_undeclared_certificate_kind_in_a_nested_rule():
    text = MINIMAL + (
        "eligibility:\n  rules:\n    - id: r1\n      label: 证书\n      article: a1\n"
        "      any_of:\n        - party_member: true\n        - has_certificate: {kind: cio_training}\n"
    )
    (error,) = errors_of(text)
    assert error.startswith(
        f"t.yaml:{line_of(text, 'has_certificate')}: eligibility.rules[0].any_of[1].has_certificate.kind:"
    )


def test_a_condition_needs_exactly_one_operator():
    text = MINIMAL + (
        "eligibility:\n  rules:\n    - id: r1\n      label: 两个\n      article: a1\n"
        "      party_member: true\n      years_at_unit: {min: 3}\n"
    )
    (error,) = errors_of(text)
    assert "只能包含一个运算符" in error
    assert error.startswith(f"t.yaml:{line_of(text, '- id: r1')}: eligibility.rules[0]:")


def test_indicator_weights_must_sum_to_100():
    text = MINIMAL + (
        "assessments:\n  cycles:\n    - id: c\n      name: 测评\n      subject: unit\n      subject_kinds: [school]\n"
        "      article: a1\n      pass_threshold: 60\n      indicators:\n"
        "        - {id: x, name: 甲, weight: 60}\n        - {id: y, name: 乙, weight: 30}\n"
    )
    (error,) = errors_of(text)
    assert "一级指标权重合计为 90,应为 100" in error
    assert error.startswith(f"t.yaml:{line_of(text, '- id: c')}:")


def test_malformed_yaml_reports_its_line():
    text = MINIMAL + "posts:\n  - id: cio\n   name: [unclosed\n"
    (error,) = errors_of(text)
    assert error.startswith("t.yaml:")
    assert "YAML 语法错误" in error
    assert int(error.split(":")[1]) >= line_of(text, "- id: cio")


def test_duplicate_keys_are_refused_at_the_second_one():
    text = MINIMAL + "title: 又一个标题\n"
    assert errors_of(text) == [f"t.yaml:{len(text.splitlines())}: 键 'title' 在同一层重复出现"]


def test_anchors_and_aliases_are_refused():
    text = MINIMAL + "posts: &p []\ntraining: *p\n"
    (error,) = errors_of(text)
    assert "锚点与别名" in error


def test_a_bad_date_is_reported_at_its_line():
    text = MINIMAL + "issued_on: 2022-13-45\n"
    (error,) = errors_of(text)
    assert error.startswith(f"t.yaml:{line_of(text, 'issued_on')}: 无法解析的值 '2022-13-45'")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件为空"),
        (b"- a\n- b\n", "文件顶层必须是键值映射"),
        (b"id: \xff\xfe\n", "UTF-8"),
        (b"id: x\n\tversion: 1\n", "制表符"),
        (b"a: 1\n---\nb: 2\n", "一个 YAML 文档"),
        (b"[" * 5000, "嵌套"),
        (b"x: " + b"y" * (1024 * 1024 + 1), "文件过大"),
        (b"no: 1\n", "请加引号"),
        (b"id: !!python/object:os.system x\n", "无法解析的值"),
    ],
)
def test_unusable_files_give_one_clear_error(content, message):
    (error,) = errors_of(content)
    assert error.startswith("t.yaml:")
    assert message in error


def test_parse_pack_raises_only_pack_invalid():
    with pytest.raises(PackInvalid) as info:
        parse_pack("id: [", filename="x.yaml")
    assert str(info.value).startswith("x.yaml:1: ")


def test_all_errors_are_listed_in_line_order():
    text = MINIMAL.replace("applies_to: [school]", "applies_to: [castle]") + "version_note: x\n"
    errors = errors_of(text)
    assert len(errors) == 2
    assert [int(e.split(":")[1]) for e in errors] == sorted(int(e.split(":")[1]) for e in errors)
