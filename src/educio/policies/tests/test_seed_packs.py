"""The four seed packs load, quote their documents verbatim, and encode what each document says."""

from __future__ import annotations

import datetime

import pytest

from educio.orgs.models import OrgKind
from educio.policies.loader import parse_pack
from educio.policies.schema.base import UnitKind
from educio.policies.tests.conftest import SEED_PACKS, SEEDS_DIR, pack_text
from educio.workflow.spec import ActingLevel

SEED_FILES = {
    "jiaozuo-2022": "000_a9e074a1529269df.txt",
    "helan-2024": "002_946337f593c4c025.txt",
    "yichun-2025": "003_f5be3a9e87a1cf5d.txt",
    "wuhai-2023": "004_3d698e6af444bce6.txt",
}


def load(pack_id: str):
    return parse_pack(pack_text(pack_id), filename=f"{pack_id}.yaml").pack


@pytest.mark.parametrize("pack_id", SEED_PACKS)
def test_each_seed_pack_loads(pack_id):
    pack = load(pack_id)
    assert pack.id == pack_id
    assert pack.version == 1
    assert pack.articles


@pytest.mark.parametrize("pack_id", SEED_PACKS)
def test_article_texts_are_verbatim_from_the_seed(pack_id):
    seed_file = SEEDS_DIR / SEED_FILES[pack_id]
    # Line breaks in the seeds are page-break artefacts inside sentences; everything else must match exactly.
    seed = seed_file.read_text(encoding="utf-8").replace("\n", "")
    for article in load(pack_id).articles:
        for line in article.text.split("\n"):
            assert line in seed, f"{pack_id} {article.id}: {line!r} is not in the seed"


def test_unit_kinds_mirror_the_organisation_kinds():
    assert set(UnitKind) == set(OrgKind.values)


def test_jiaozuo_cio_is_the_head_or_an_authorised_deputy():
    pack = load("jiaozuo-2022")
    (post,) = pack.posts
    assert [h.position for h in post.holders] == ["school_head", "deputy_head"]
    assert "学校班子研究授权" in post.holders[1].condition
    rule = next(r for r in pack.eligibility.rules if r.id == "holder_position")
    assert rule.severity == "hard"
    assert pack.article(rule.article).number == "第一条"


def test_jiaozuo_chain_is_school_county_city_with_seals():
    chain = load("jiaozuo-2022").review_chains["cio_nomination"]
    assert [s.actor.level for s in chain.steps] == [
        ActingLevel.SELF,
        ActingLevel.COUNTY_BUREAU,
        ActingLevel.CITY_BUREAU,
    ]
    assert all(s.seal for s in chain.steps)
    assert [s.actor.role for s in chain.steps] == ["school_head", "bureau_reviewer", "bureau_reviewer"]


def test_jiaozuo_form_matches_the_printed_tuijianbiao():
    form = load("jiaozuo-2022").nomination_form
    labels = [f.label for f in form.fields]
    for printed in ("单位名称", "姓名", "性别", "出生日期", "学历", "民族", "教龄", "现任行政职务", "专业技术职务"):
        assert printed in labels
    assert {"手机号码", "通信地址", "工作事迹"} <= set(labels)
    work = next(f for f in form.fields if f.label == "工作事迹")
    assert work.max_length == 2000
    assert work.type == "textarea"
    assert [c.label for c in form.honours.columns] == ["获奖名称", "获奖时间", "授予单位", "备注"]
    assert form.photo.label == "电子照片"
    assert form.confirmation.text == "填写人对上述所填内容真实性负责并签字"
    assert [o.label for o in form.opinions] == ["所在单位意见", "县(市、区)教育行政部门审核意见", "市教育局审核意见"]
    assert form.print_note == "正反打印"
    assert form.submission.deadline == datetime.date(2022, 10, 10)
    assert form.summary_sheet.title == "焦作市首席教育信息官汇总表"


def test_jiaozuo_assessments_annual_and_biennial_with_revocation_after_failed_rectification():
    cycles = {c.id: c for c in load("jiaozuo-2022").assessments.cycles}
    annual, biennial = cycles["cio_annual_evaluation"], cycles["school_biennial_assessment"]
    assert (annual.period, annual.subject) == ("annual", "post_holder")
    assert (biennial.period, biennial.subject) == ("biennial", "unit")
    assert annual.consequences.on_fail.recheck
    assert annual.consequences.on_fail.on_recheck_fail is None
    assert biennial.consequences.on_fail.on_recheck_fail == "revoke_appointment"
    assert sum(i.weight for i in annual.indicators) == 100


def test_helan_term_coverage_training_and_its_own_form():
    pack = load("helan-2024")
    assert (pack.term.min_years, pack.term.renewable, pack.term.max_consecutive_terms) == (3, True, None)
    assert pack.term.change_must_be_refiled
    assert pack.term.change_chain == "cio_change_filing"
    (target,) = pack.coverage.targets
    assert (target.share_percent, target.by) == (100, datetime.date(2025, 12, 31))
    (requirement,) = pack.training.requirements
    assert (requirement.period, requirement.min_count, requirement.centralised) == ("annual", 1, True)
    labels = [f.label for f in pack.nomination_form.fields]
    assert labels == [
        "姓名",
        "出生年月",
        "政治面貌",
        "最高学历",
        "毕业院校",
        "所学专业",
        "工作单位",
        "职务",
        "联系电话",
        "电子邮箱",
        "工作经历",
    ]
    assert len(pack.posts[0].duties) == 8
    assert pack.assessments.cycles[0].feeds_into == ["学校办学水平评价", "学校主要负责人及领导班子年度考核"]


def test_yichun_eligibility_chain_term_and_governance():
    pack = load("yichun-2025")
    rules = {r.id: r for r in pack.eligibility.rules}
    assert rules["party_member"].party_member is True
    assert rules["three_years_at_university"].years_at_unit.min == 3
    assert rules["senior_title_or_rank"].any_of[0].title_at_least.level == "senior"
    chain = pack.review_chains["cio_nomination"]
    assert [s.actor.body for s in chain.steps] == ["校长", "校长办公会", "学校党委常委会"]
    assert {s.actor.level for s in chain.steps} == {ActingLevel.UNIVERSITY}
    assert (pack.term.min_years, pack.term.max_years, pack.term.max_consecutive_terms) == (3, 3, 2)
    bodies = {b.kind: b for b in pack.governance.bodies}
    assert set(bodies) == {"committee", "office", "liaisons", "expert_panel"}
    meetings = bodies["committee"].meetings
    assert (meetings.period, meetings.min_count, meetings.minutes_required) == ("semester", 1, True)
    assert bodies["liaisons"].seats[0].per_unit_kinds == [UnitKind.DEPARTMENT]
    stages = {r.stage for r in pack.projects.reviews}
    assert stages == {"before_start", "stage", "final"}
    consequences = pack.assessments.cycles[0].consequences
    assert consequences.commendation.article == consequences.accountability.article == "art_23"


def test_wuhai_infrastructure_projects_and_security():
    pack = load("wuhai-2023")
    assert not pack.posts
    assert pack.eligibility is None
    assert pack.term is None
    assert pack.nomination_form is None
    metrics = {m.id: m for m in pack.infrastructure.metrics}
    assert metrics["wired_10g_to_school"].targets[0].share_of_units == 80
    assert metrics["wired_10g_to_school"].targets[0].year == 2024
    assert metrics["smart_blackboard_rate"].targets[0].min_value == 100
    assert [(t.year, t.share_of_units) for t in metrics["smart_campus"].targets] == [(2024, 80), (2025, 100)]
    assert pack.infrastructure.reporting.cadence == "monthly"
    assert [r.id for r in pack.infrastructure.integration] == ["unified_portal_identity", "unified_identity_sso"]
    assert {b.id for b in pack.projects.banned_categories} == {"data_centre", "duplicate_city_platform"}
    assert pack.projects.reviews[0].reviewer == ActingLevel.CITY_BUREAU
    assert {e.name for e in pack.security.equipment} == {"防火墙", "上网行为管理", "杀毒软件"}
    kinds = {d.kind for d in pack.security.duties}
    assert {"security_check", "drill", "security_week", "self_inspection"} <= kinds
    assert len(pack.security.data_protection) == 2
    assert pack.training.levels == ["city", "county", "school"]


@pytest.mark.parametrize("pack_id", SEED_PACKS)
def test_every_article_with_a_rule_is_cited(pack_id):
    """No article is dead weight except preambles and annex headers: most articles are cited by some rule."""
    from educio.policies.schema.references import walk_models

    pack = load(pack_id)
    cited = {getattr(m, "article", None) for _loc, m in walk_models(pack)}
    uncited = [a.id for a in pack.articles if a.id not in cited]
    assert len(uncited) <= len(pack.articles) // 2, uncited
