"""Property tests: random valid packs load; random broken ones give line-precise errors and never raise."""

from __future__ import annotations

import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from educio.accounts.roles import Role
from educio.policies.eligibility import FindingStatus, PersonFacts, Verdict, evaluate
from educio.policies.loader import check_pack_source, parse_pack
from educio.policies.schema.base import AdminRank, TitleLevel, TrainingLevel, UnitKind
from educio.workflow.spec import ActingLevel

ERROR_LINE = re.compile(r"^t\.yaml:(\d+): ")
CERTS = ("cio_training", "informatization_training")
EXPERIENCES = ("it_management",)
POSITIONS = ("school_head", "deputy_head")
ATTESTATIONS = ("authorised",)
ARTICLES = ("a1", "a2", "a3")

PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(alphabet=st.sampled_from("测试条款规则甲乙丙丁，。、:#'\"-[]{}&*!|>% ab1"), min_size=1, max_size=20)
ident = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
article = st.sampled_from(ARTICLES)

leaf = st.one_of(
    st.builds(
        lambda k, lv: {"has_certificate": {"kind": k, "min_level": lv}},
        st.sampled_from(CERTS),
        st.sampled_from([x.value for x in TrainingLevel]),
    ),
    st.builds(lambda k, n: {"years_in_role": {"kind": k, "min": n}}, st.sampled_from(EXPERIENCES), st.integers(0, 10)),
    st.builds(lambda n: {"years_at_unit": {"min": n}}, st.integers(0, 10)),
    st.builds(lambda b: {"party_member": b}, st.booleans()),
    st.builds(lambda t: {"title_at_least": {"level": t}}, st.sampled_from([x.value for x in TitleLevel])),
    st.builds(lambda r: {"rank_at_least": {"rank": r}}, st.sampled_from([x.value for x in AdminRank])),
    st.builds(
        lambda ps: {"holds_position": {"positions": ps}}, st.lists(st.sampled_from(POSITIONS), min_size=1, max_size=2)
    ),
    st.builds(lambda: {"attested": {"kind": ATTESTATIONS[0]}}),
    st.builds(lambda t: {"manual": t}, text),
)
condition = st.recursive(
    leaf,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"all_of": xs}),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"any_of": xs}),
        children.map(lambda x: {"not": x}),
    ),
    max_leaves=8,
)


@st.composite
def rules(draw: Any) -> list[dict[str, Any]]:
    ids = draw(st.lists(ident, min_size=1, max_size=4, unique=True))
    return [
        {
            "id": rule_id,
            "label": draw(text),
            "article": draw(article),
            "severity": draw(st.sampled_from(["hard", "soft"])),
            **draw(condition),
        }
        for rule_id in ids
    ]


@st.composite
def chains(draw: Any) -> dict[str, Any]:
    result = {}
    for chain_id in draw(st.lists(ident, min_size=0, max_size=2, unique=True)):
        steps = [
            {
                "id": step_id,
                "name": draw(text),
                "actor": {
                    "level": draw(st.sampled_from([x.value for x in ActingLevel])),
                    "role": draw(st.sampled_from(Role.values)),
                },
                "seal": draw(st.booleans()),
            }
            for step_id in draw(st.lists(ident, min_size=1, max_size=4, unique=True))
        ]
        result[chain_id] = {"name": draw(text), "article": draw(article), "steps": steps}
    return result


@st.composite
def valid_packs(draw: Any) -> dict[str, Any]:
    pack: dict[str, Any] = {
        "id": draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)),
        "version": draw(st.integers(1, 50)),
        "title": draw(text),
        "issuer": draw(text),
        "applies_to": draw(st.lists(st.sampled_from([k.value for k in UnitKind]), min_size=1, max_size=3, unique=True)),
        "articles": [{"id": a, "number": f"第{i}条", "text": draw(text)} for i, a in enumerate(ARTICLES, start=1)],
    }
    if draw(st.booleans()):
        pack["posts"] = [
            {
                "id": "cio",
                "name": draw(text),
                "unit_kinds": ["school"],
                "holders": [{"position": p, "label": draw(text), "article": draw(article)} for p in POSITIONS],
                "article": draw(article),
            }
        ]
        pack["training"] = {"certificate_kinds": [{"id": c, "label": draw(text)} for c in CERTS]}
        pack["eligibility"] = {
            "experience_kinds": dict.fromkeys(EXPERIENCES, "信息化管理"),
            "attestation_kinds": dict.fromkeys(ATTESTATIONS, "授权"),
            "rules": draw(rules()),
        }
        if draw(st.booleans()):
            pack["term"] = {"min_years": draw(st.integers(1, 5)), "renewable": True, "article": draw(article)}
        if draw(st.booleans()):
            pack["coverage"] = {
                "targets": [
                    {
                        "id": "t",
                        "name": draw(text),
                        "post": "cio",
                        "unit_kinds": ["school"],
                        "share_percent": draw(st.integers(1, 100)),
                        "article": draw(article),
                    }
                ]
            }
    chain_map = draw(chains())
    if chain_map:
        pack["review_chains"] = chain_map
    if draw(st.booleans()):
        weights = draw(st.lists(st.integers(1, 40), min_size=1, max_size=4))
        weights[-1] += 100 - sum(weights) if sum(weights) < 100 else 0
        if sum(weights) == 100:
            pack["assessments"] = {
                "cycles": [
                    {
                        "id": "c",
                        "name": draw(text),
                        "subject": "unit",
                        "subject_kinds": ["school"],
                        "article": draw(article),
                        "pass_threshold": 60,
                        "indicators": [{"id": f"i{n}", "name": draw(text), "weight": w} for n, w in enumerate(weights)],
                    }
                ]
            }
    return pack


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def assert_line_precise(errors: list[Any], source: str) -> None:
    assert errors
    lines = max(len(source.splitlines()), 1)
    for error in errors:
        match = ERROR_LINE.match(str(error))
        assert match, str(error)
        assert 1 <= int(match.group(1)) <= lines + 1
        assert "内部错误" not in str(error)


@PROFILE
@given(valid_packs())
def test_valid_packs_load(data):
    source = dump(data)
    parsed, errors = check_pack_source(source, filename="t.yaml")
    assert errors == [], [str(e) for e in errors]
    assert parsed is not None
    assert parsed.pack.id == data["id"]


MARKER = "zz_marker"


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


@PROFILE
@given(valid_packs(), st.data())
def test_broken_packs_report_the_line_of_the_mistake(data, draw):
    """Put a marker where it does not belong; the error names the marker's line and never raises."""
    paths = [p for p in _paths(data) if not isinstance(_get(data, p), (dict, list))]
    path = draw.draw(st.sampled_from(paths))
    mutation = draw.draw(st.sampled_from(["value", "extra_key"]))
    parent = _get(data, path[:-1])
    if mutation == "value":
        parent[path[-1]] = MARKER + "!"
    elif isinstance(parent, dict):
        parent[MARKER] = 1
    else:
        parent.append({MARKER: 1})
    source = dump(data)
    parsed, errors = check_pack_source(source, filename="t.yaml")
    if parsed is not None:
        return  # e.g. a marker that is valid text in a free-text field
    assert_line_precise(errors, source)
    marker_lines = {i for i, line in enumerate(source.splitlines(), start=1) if MARKER in line}
    reported = {int(ERROR_LINE.match(str(e)).group(1)) for e in errors}
    assert reported & marker_lines or mutation == "extra_key", (source, [str(e) for e in errors])


@PROFILE
@given(valid_packs(), st.data())
def test_deleting_a_required_key_is_reported_with_a_line(data, draw):
    paths = [p for p in _paths(data) if isinstance(p[-1], str)]
    path = draw.draw(st.sampled_from(paths))
    del _get(data, path[:-1])[path[-1]]
    source = dump(data)
    parsed, errors = check_pack_source(source, filename="t.yaml")
    if parsed is None:
        assert_line_precise(errors, source)


@PROFILE
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw):
    parsed, errors = check_pack_source(raw, filename="t.yaml")
    if parsed is None:
        assert_line_precise(errors, raw.decode("utf-8", "replace"))


@PROFILE
@given(valid_packs(), st.integers(0, 2000), st.text(max_size=5))
def test_corrupted_text_never_raises(data, position, garbage):
    source = dump(data)
    position = position % (len(source) + 1)
    corrupted = source[:position] + garbage + source[position:]
    parsed, errors = check_pack_source(corrupted, filename="t.yaml")
    if parsed is None:
        assert_line_precise(errors, corrupted)


facts = st.builds(
    PersonFacts,
    certificates=st.lists(st.tuples(st.sampled_from(CERTS), st.sampled_from([x.value for x in TrainingLevel]))),
    years_in_role=st.dictionaries(st.sampled_from(EXPERIENCES), st.floats(0, 20)),
    years_at_unit=st.none() | st.floats(0, 30),
    party_member=st.none() | st.booleans(),
    title_level=st.none() | st.sampled_from([x.value for x in TitleLevel]),
    admin_rank=st.none() | st.sampled_from([x.value for x in AdminRank]),
    positions=st.frozensets(st.sampled_from(POSITIONS)),
    attestations=st.frozensets(st.sampled_from(ATTESTATIONS)),
)


@PROFILE
@given(valid_packs(), facts)
def test_eligibility_of_random_rules_and_people_always_explains(data, person):
    pack = parse_pack(dump(data)).pack
    result = evaluate(pack, person)
    assert result.verdict in set(Verdict)
    for finding in result.findings:
        assert finding.explanation.startswith(pack.article(finding.article_id).number + ":")
        assert finding.detail
    hard_fail = any(f.status == FindingStatus.FAIL for f in result.findings)
    assert (result.verdict == Verdict.FAIL) == hard_fail
