"""Compliance: each pack's checkable rules per unit, citing the article; missing data is never a pass."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from educio.accounts.tests.factories import user_with_role
from educio.orgs.models import Organization, OrgKind
from educio.orgs.tests.factories import OrganizationFactory, SchoolFactory
from educio.policies import services
from educio.policies.compliance import Outcome, Status, checkable_rules, evaluate_unit, evaluate_units, register, rollup
from educio.policies.compliance.registry import check_for, unregister
from educio.policies.selectors import effective_pack


@pytest.fixture
def university(db, seed_packs):
    uni = OrganizationFactory(name="测试学院", kind=OrgKind.UNIVERSITY, bureau_level="")
    departments = [
        OrganizationFactory(parent=uni, name=name, kind=OrgKind.DEPARTMENT, bureau_level="")
        for name in ("教务处", "信息中心")
    ]
    admin = user_with_role("bureau_admin", uni)
    services.pack_adopt(actor=admin, pack=seed_packs["yichun-2025"], organization=uni)
    return Organization.objects.get(pk=uni.pk), [Organization.objects.get(pk=d.pk) for d in departments], admin


def test_rules_without_data_are_not_evaluable_never_pass(tree, seed_packs, city_admin):
    services.pack_adopt(actor=city_admin, pack=seed_packs["wuhai-2023"], organization=tree.city)
    findings = evaluate_units([tree.city, tree.school])
    assert findings
    assert {f.status for f in findings} == {Status.NOT_EVALUABLE}
    equipment = next(f for f in findings if f.rule.id == "security.equipment.firewall")
    assert equipment.unit == tree.school
    assert "网络安全模块尚未启用" in equipment.explanation
    assert equipment.article_number == "二(四)1"
    assert "防火墙、上网行为管理、杀毒软件" in equipment.article_text
    assert not any(f.rule.id == "security.equipment.firewall" for f in findings if f.unit == tree.city)


def test_department_liaisons_are_checked_from_role_assignments(university):
    uni, (academic, info), _admin = university
    user_with_role("liaison", info)
    findings = {(f.unit.name, f.rule.id): f for f in evaluate_units([uni, academic, info])}
    rule = "governance.liaisons.department_liaison"
    assert findings[("信息中心", rule)].status == Status.PASS
    failing = findings[("教务处", rule)]
    assert failing.status == Status.FAIL
    assert failing.full_explanation == "第十六条:已指定信息化联络员0名,要求1名"
    assert "各部门和教学院指定1名负责人作为本部门信息化联络员" in failing.article_text
    assert findings[("测试学院", "governance.committee.meetings")].status == Status.NOT_EVALUABLE


def test_a_module_plugs_in_a_check_for_its_rule_kind(tree, seed_packs, county_admin):
    services.pack_adopt(actor=county_admin, pack=seed_packs["helan-2024"], organization=tree.county)

    previous = check_for("training_requirement")  # the training app's own check, put back afterwards

    @register("training_requirement", replace=True)
    def trained(rule, units):
        return {u.pk: Outcome.passed("2025年参加集中培训1次") for u in units if u.pk == tree.school.pk}

    try:
        findings = {(f.unit.pk, f.rule.id): f for f in evaluate_units([tree.school, tree.sibling_school])}
    finally:
        unregister("training_requirement")
        if previous is not None:
            register("training_requirement", replace=True)(previous)
    assert findings[(tree.school.pk, "training.annual_centralised_training")].status == Status.PASS
    silent = findings[(tree.sibling_school.pk, "training.annual_centralised_training")]
    assert silent.status == Status.NOT_EVALUABLE  # a check that says nothing about a unit never passes it


def test_evaluation_costs_the_same_for_one_and_many_units(university, django_assert_num_queries):
    uni, _departments, _admin = university
    for n in range(20):
        OrganizationFactory(parent=uni, name=f"学院{n}", kind=OrgKind.DEPARTMENT, bureau_level="")
    many = list(Organization.objects.filter(path__startswith=uni.path))
    # The packs, then one query per registered check that applies: liaisons, and the appointments
    # app's post, holder and term checks of the university.
    with django_assert_num_queries(5):
        evaluate_units(many[:2])
    with django_assert_num_queries(5):
        evaluate_units(many)


def test_rollup_counts_outcomes_per_rule_over_a_subtree(university):
    uni, (_academic, info), _admin = university
    user_with_role("liaison", info)
    summaries = {s.rule.id: s for s in rollup(Organization.objects.filter(path__startswith=uni.path), chunk_size=1)}
    liaisons = summaries["governance.liaisons.department_liaison"]
    assert (liaisons.count("pass"), liaisons.count("fail"), liaisons.total) == (1, 1, 2)


def test_a_unit_without_a_pack_has_no_findings(tree):
    assert evaluate_unit(tree.far_school) == []


def test_every_seed_pack_has_checkable_rules_citing_existing_articles(seed_packs):
    for row in seed_packs.values():
        pack = services.parse_pack(row.source).pack
        rules = checkable_rules(pack)
        assert rules
        assert all(r.article is not None for r in rules)
        assert len({r.id for r in rules}) == len(rules)


def compliance_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("policies:compliance") + (f"?{query}" if query else "")


def test_compliance_page_filters_by_rule_and_status(client, university):
    uni, (_academic, info), admin = university
    user_with_role("liaison", info)
    client.force_login(admin)
    body = client.get(compliance_url(org=uni.pk)).content.decode()
    assert "教务处" in body
    assert "暂无法评估" in body
    assert "第十六条" in body
    body = client.get(
        compliance_url(org=uni.pk, rule="governance.liaisons.department_liaison", status="fail")
    ).content.decode()
    table = body[body.index('id="compliance-table"') :]
    assert "教务处" in table
    assert "信息中心" not in table
    assert "已指定信息化联络员0名,要求1名" in table


def test_compliance_export_has_one_row_per_finding(client, university):
    uni, (_academic, _info), admin = university
    client.force_login(admin)
    response = client.get(compliance_url(org=uni.pk, rule="governance.liaisons.department_liaison", export="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "单位类别", "制度包")
    assert sorted(r[0] for r in rows[1:]) == ["信息中心", "教务处"]
    assert all(r[5] == "第十六条" and r[7] == "不符合" for r in rows[1:])


def test_compliance_page_is_scoped(client, tree, university):
    uni, _departments, _admin = university
    county_admin = user_with_role("bureau_admin", tree.county)
    client.force_login(county_admin)
    assert client.get(compliance_url(org=uni.pk)).status_code == 404
    assert client.get(compliance_url()).status_code == 200


def test_compliance_page_query_count_does_not_grow_with_units(client, tree, seed_packs, city_admin):
    services.pack_adopt(actor=city_admin, pack=seed_packs["wuhai-2023"], organization=tree.city)
    client.force_login(city_admin)
    counts = []
    for batch in (1, 49):
        for n in range(batch):
            SchoolFactory(parent=tree.county, name=f"批量学校{len(counts)}-{n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(compliance_url(org=tree.city.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_effective_pack_after_demo_style_adoption_drives_compliance(tree, seed_packs, city_admin):
    services.pack_adopt(actor=city_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)
    assert effective_pack(tree.school).pack_id == "jiaozuo-2022"
    ids = [f.rule.id for f in evaluate_unit(tree.school)]
    assert "posts.cio.filled" in ids
    assert "assessments.school_biennial_assessment.rectification" in ids
