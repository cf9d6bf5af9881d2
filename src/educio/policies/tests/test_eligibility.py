"""People against each seed's eligibility rules: the verdict and the sentence a reviewer reads."""

from __future__ import annotations

from functools import cache

import pytest

from educio.policies.eligibility import FindingStatus, PersonFacts, Verdict, evaluate
from educio.policies.loader import parse_pack, parse_pack_file
from educio.policies.tests.conftest import DATA, pack_text


@cache
def pack(pack_id: str):
    if pack_id == "shanhai-2026":
        return parse_pack_file(DATA / "shanhai-2026.yaml").pack
    return parse_pack(pack_text(pack_id)).pack


HEAD = frozenset({"school_head"})

JIAOZUO = [
    (
        "head with a county CIO certificate",
        PersonFacts(certificates=[("cio_training", "county")], positions=HEAD),
        Verdict.PASS,
        "training_or_experience",
        "第二条(二):持有CIO培训合格证(县级)",
    ),
    (
        "informatization certificate but one year of work",
        PersonFacts(
            certificates=[("informatization_training", "city")],
            years_in_role={"school_informatization_management": 1},
            positions=HEAD,
        ),
        Verdict.FAIL,
        "training_or_experience",
        "第二条(二):无CIO培训合格证,从事学校信息化管理工作1年,要求2年",
    ),
    (
        "informatization certificate and two years",
        PersonFacts(
            certificates=[("informatization_training", "provincial")],
            years_in_role={"school_informatization_management": 2},
            positions=HEAD,
        ),
        Verdict.PASS,
        "training_or_experience",
        "第二条(二):持有教育信息化业务培训合格证(省级),从事学校信息化管理工作2年",
    ),
    (
        "informatization certificate from a county training does not count",
        PersonFacts(
            certificates=[("informatization_training", "county")],
            years_in_role={"school_informatization_management": 5},
            positions=HEAD,
        ),
        Verdict.FAIL,
        "training_or_experience",
        "第二条(二):无CIO培训合格证,教育信息化业务培训合格证为县级,要求市级及以上",
    ),
    (
        "a school-level CIO certificate is below the county level",
        PersonFacts(certificates=[("cio_training", "school")], positions=HEAD),
        Verdict.FAIL,
        "training_or_experience",
        "第二条(二):CIO培训合格证为校级,要求县级及以上,无教育信息化业务培训合格证,从事学校信息化管理工作0年,要求2年",
    ),
    (
        "a deputy without the leadership team's authorisation",
        PersonFacts(certificates=[("cio_training", "national")], positions={"deputy_head"}),
        Verdict.FAIL,
        "holder_position",
        "第一条:未担任学校主要负责人,缺少“经学校班子研究授权”的证明",
    ),
    (
        "a deputy authorised by the leadership team",
        PersonFacts(
            certificates=[("cio_training", "national")],
            positions={"deputy_head"},
            attestations={"leadership_authorisation"},
        ),
        Verdict.PASS,
        "holder_position",
        "第一条:现任单位副职领导,已提供“经学校班子研究授权”的证明",
    ),
]

HELAN = [
    (
        "the legal representative",
        PersonFacts(positions={"legal_representative"}),
        Verdict.PASS,
        "legal_representative",
        "第4条:现任学校法定代表人",
    ),
    (
        "someone else: allowed, with a justification",
        PersonFacts(),
        Verdict.WARN,
        "legal_representative",
        "第4条:未担任学校法定代表人",
    ),
]

PARTY_SENIOR = {"party_member": True, "title_level": "senior", "years_at_unit": 5, "positions": {"vice_president_it"}}

YICHUN = [
    (
        "party member, full senior title, five years",
        PersonFacts(**PARTY_SENIOR),
        Verdict.PASS,
        "senior_title_or_rank",
        "第五条(四):专业技术职务为正高级",
    ),
    (
        "associate senior title but division-level rank",
        PersonFacts(**{**PARTY_SENIOR, "title_level": "associate_senior", "admin_rank": "division"}),
        Verdict.PASS,
        "senior_title_or_rank",
        "第五条(四):管理职级为正处级",
    ),
    (
        "neither a senior title nor a division-level rank",
        PersonFacts(**{**PARTY_SENIOR, "title_level": "associate_senior", "admin_rank": "section"}),
        Verdict.FAIL,
        "senior_title_or_rank",
        "第五条(四):专业技术职务为副高级,要求正高级及以上,管理职级为正科级,要求副处级及以上",
    ),
    (
        "not a party member",
        PersonFacts(**{**PARTY_SENIOR, "party_member": False}),
        Verdict.FAIL,
        "party_member",
        "第五条(一):非中共党员",
    ),
    (
        "political status unknown",
        PersonFacts(**{**PARTY_SENIOR, "party_member": None}),
        Verdict.WARN,
        "party_member",
        "第五条(一):未提供政治面貌",
    ),
    (
        "two years at the university",
        PersonFacts(**{**PARTY_SENIOR, "years_at_unit": 2}),
        Verdict.FAIL,
        "three_years_at_university",
        "第五条(四):在本单位任职2年,要求3年",
    ),
    (
        "a professor who holds none of the usual posts",
        PersonFacts(**{**PARTY_SENIOR, "positions": set()}),
        Verdict.WARN,
        "usual_holders",
        "第六条:未担任学校分管信息化工作的副校长或校长助理或具备丰富教育管理经验的职能部门负责人(如教务处、研究生院、信息化管理部门等)",
    ),
]

CASES = (
    [("jiaozuo-2022", *c) for c in JIAOZUO]
    + [("helan-2024", *c) for c in HELAN]
    + [("yichun-2025", *c) for c in YICHUN]
)


@pytest.mark.parametrize(
    ("pack_id", "who", "facts", "verdict", "rule_id", "explanation"), CASES, ids=[c[1] for c in CASES]
)
def test_eligibility_table(pack_id, who, facts, verdict, rule_id, explanation):
    result = evaluate(pack(pack_id), facts, post="cio")
    assert result.verdict == verdict, [f.explanation for f in result.findings]
    assert result.finding(rule_id).explanation == explanation


def test_findings_carry_the_verbatim_article_text():
    result = evaluate(pack("jiaozuo-2022"), PersonFacts(positions=HEAD))
    finding = result.finding("training_or_experience")
    assert finding.article_id == "art_2_2"
    assert "参加过国家、省、市、县举办的首席信息官（CIO）培训并取得合格证者" in finding.article_text


def test_criteria_only_a_reviewer_can_judge_never_decide_the_verdict():
    result = evaluate(pack("helan-2024"), PersonFacts(positions={"legal_representative"}))
    manual = [f for f in result.findings if f.status == FindingStatus.MANUAL]
    assert {f.rule_id for f in manual} == {"dedication", "organising_ability", "policy_knowledge"}
    assert result.verdict == Verdict.PASS
    assert manual[0].explanation.startswith("第1条:需审核人判断:")


def test_a_pack_without_eligibility_rules_has_no_conditions():
    result = evaluate(pack("wuhai-2023"), PersonFacts())
    assert result.verdict == Verdict.PASS
    assert result.findings == ()


def test_rules_apply_per_post_in_a_pack_with_two_posts():
    shanhai = pack("shanhai-2026")
    security_only = PersonFacts(certificates=[("security_training", "county")])
    assert evaluate(shanhai, security_only, post="deputy_cio").verdict == Verdict.PASS
    cio = evaluate(shanhai, security_only, post="cio")
    assert cio.verdict == Verdict.FAIL
    assert [f.rule_id for f in cio.findings] == ["cio_certificate"]
    assert cio.findings[0].explanation == "第二条:无CIO培训合格证"


def test_person_facts_accept_plain_tuples_and_sets():
    facts = PersonFacts(certificates=[("cio_training", "city", None)], positions=["school_head"])
    assert facts.certificates[0].kind == "cio_training"
    assert facts.positions == frozenset({"school_head"})
