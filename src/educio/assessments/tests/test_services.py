"""The rules of a cycle, through the services: who takes part, deadlines, scoring, publishing, appeals, templates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.assessments import indicators, services
from educio.assessments.models import (
    Appeal,
    AssessmentCycle,
    AssessmentSubject,
    CycleStatus,
    IndicatorTemplate,
    Score,
    SubjectStatus,
)
from educio.assessments.tests.conftest import City, opened, pdf
from educio.assessments.tests.factories import assign, give_scores, pack_cycle, self_assess
from educio.orgs.models import BureauLevel, Organization
from educio.orgs.tests.factories import BureauFactory, SchoolFactory
from educio.rectifications.models import RectificationOrder

pytestmark = pytest.mark.django_db


def subject_of(cycle: AssessmentCycle, unit: Organization) -> AssessmentSubject:
    return AssessmentSubject.objects.get(cycle=cycle, organization=unit)


def scored(city: City, cycle: AssessmentCycle, share: str) -> AssessmentSubject:
    """一区第一小学 self-assessed and scored by the expert at ``share`` of every maximum, then confirmed."""
    subject = self_assess(subject_of(cycle, city.tree.school), city.cio)
    assign(subject, city.expert, city.admin)
    give_scores(subject, city.expert, Decimal(share))
    return services.subject_mark_reviewed(actor=city.admin, subject=subject)


# --- who takes part --------------------------------------------------------------------------------


def test_opening_assesses_each_appointed_cio_and_lists_units_without_one(city: City) -> None:
    cycle = opened(city)
    subjects = {s.organization_id: s for s in AssessmentSubject.objects.filter(cycle=cycle)}
    tree = city.tree
    assert set(subjects) == {tree.school.pk, tree.sibling_school.pk, tree.other_school.pk}
    assert subjects[tree.school.pk].person == city.cio_person
    assert subjects[tree.school.pk].status == SubjectStatus.NOT_STARTED
    assert subjects[tree.other_school.pk].status == SubjectStatus.VACANT
    assert subjects[tree.other_school.pk].person is None
    assert cycle.indicators == indicators.from_pack(pack_cycle()[1])


def test_a_unit_cycle_assesses_every_school(city: City) -> None:
    cycle = opened(city, "school_biennial_assessment")
    assert cycle.period_label == f"{cycle.year}—{cycle.year + 1}年度"
    statuses = set(AssessmentSubject.objects.filter(cycle=cycle).values_list("status", "person"))
    assert statuses == {(SubjectStatus.NOT_STARTED, None)}
    assert AssessmentSubject.objects.filter(cycle=cycle).count() == 3


def _opening_queries(city: City, schools: int, year: int) -> int:
    county = BureauFactory(parent=city.tree.city, name=f"测试县{schools}", bureau_level=BureauLevel.COUNTY)
    for i in range(schools):
        school = SchoolFactory(parent=county, name=f"测试县{schools}学校{i}")
        make_appointment(school, person=make_person(school, f"校长{schools}-{i}"))
    today = timezone.localdate()
    cycle = services.cycle_create(
        actor=city.admin,
        organization=city.tree.city,
        cycle_id="cio_annual_evaluation",
        year=year,
        self_deadline=today + timedelta(days=5),
        review_deadline=today + timedelta(days=9),
    )
    with CaptureQueriesContext(connection) as queries:
        services.cycle_open(actor=city.admin, cycle=cycle)
    return len(queries)


def test_opening_costs_the_same_queries_whatever_the_number_of_schools(city: City) -> None:
    few = _opening_queries(city, 3, 2030)
    many = _opening_queries(city, 40, 2031)
    assert AssessmentSubject.objects.filter(cycle__year=2031).count() == 3 + 3 + 40
    assert few == many


def test_only_the_bureau_the_pack_names_organises(city: City) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.cycle_create(
            actor=city.county_admin,
            organization=city.tree.county,
            cycle_id="cio_annual_evaluation",
            year=today.year,
            self_deadline=today + timedelta(days=5),
            review_deadline=today + timedelta(days=9),
        )
    assert "市级教育行政部门" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.cycle_create(
            actor=city.county_admin,
            organization=city.tree.city,
            cycle_id="cio_annual_evaluation",
            year=today.year,
            self_deadline=today + timedelta(days=5),
            review_deadline=today + timedelta(days=9),
        )


# --- self-assessment -------------------------------------------------------------------------------


def _fill(city: City, subject: AssessmentSubject, actor: Any = None) -> None:
    entries = {leaf.id: (f"{leaf.name}已完成。", "") for leaf in indicators.leaves(subject.cycle.indicators)}
    services.self_assessment_save(actor=actor or city.cio, subject=subject, entries=entries)


def test_a_late_self_assessment_is_refused_unless_the_bureau_extends(city: City) -> None:
    cycle = opened(city)
    subject = subject_of(cycle, city.tree.school)
    _fill(city, subject)
    yesterday = timezone.localdate() - timedelta(days=1)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(self_deadline=yesterday)
    subject = subject_of(cycle, city.tree.school)
    with pytest.raises(ValidationError, match="逾期不能填报"):
        services.self_assessment_submit(actor=city.cio, subject=subject)
    with pytest.raises(ValidationError, match="逾期"):
        services.evidence_add(actor=city.cio, subject=subject, indicator_id="planning", upload=pdf())
    services.subject_extend(actor=city.admin, subject=subject, until=timezone.localdate() + timedelta(days=3))
    subject = services.self_assessment_submit(actor=city.cio, subject=subject_of(cycle, city.tree.school))
    assert subject.status == SubjectStatus.SELF_ASSESSED


def test_submission_needs_an_account_of_every_leaf_and_then_freezes(city: City) -> None:
    cycle = opened(city)
    subject = subject_of(cycle, city.tree.school)
    services.self_assessment_save(actor=city.cio, subject=subject, entries={"planning": ("规划已发布。", "18")})
    with pytest.raises(ValidationError, match="信息化工作制度"):
        services.self_assessment_submit(actor=city.cio, subject=subject)
    with pytest.raises(ValidationError) as too_high:
        services.self_assessment_save(actor=city.cio, subject=subject, entries={"planning": ("规划", "21")})
    assert "score-planning" in too_high.value.message_dict
    _fill(city, subject)
    services.self_assessment_submit(actor=city.cio, subject=subject)
    with pytest.raises(ValidationError, match="不能再修改"):
        _fill(city, subject_of(cycle, city.tree.school))
    with pytest.raises(PermissionDenied):
        _fill(city, subject_of(cycle, city.tree.sibling_school))


def test_evidence_must_be_a_real_file_of_an_accepted_kind(city: City) -> None:
    subject = subject_of(opened(city), city.tree.school)
    renamed = SimpleUploadedFile("规划.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="不是有效的 PDF"):
        services.evidence_add(actor=city.cio, subject=subject, indicator_id="planning", upload=renamed)
    script = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="只能是"):
        services.evidence_add(actor=city.cio, subject=subject, indicator_id="planning", upload=script)
    fake_docx = SimpleUploadedFile("a.docx", b"PK\x03\x04 broken", content_type="application/zip")
    with pytest.raises(ValidationError, match="DOCX"):
        services.evidence_add(actor=city.cio, subject=subject, indicator_id="planning", upload=fake_docx)
    kept = services.evidence_add(actor=city.cio, subject=subject, indicator_id="planning", upload=pdf("方案.pdf"))
    assert kept.original_name == "方案.pdf"
    assert not kept.file.name.endswith("方案.pdf")


# --- scoring ---------------------------------------------------------------------------------------


def test_a_result_cannot_be_confirmed_while_a_leaf_is_unscored_and_zero_counts(city: City) -> None:
    cycle = opened(city)
    subject = self_assess(subject_of(cycle, city.tree.school), city.cio)
    assign(subject, city.expert, city.admin)
    leaves = indicators.leaves(cycle.indicators)
    values = {leaf.id: (str(leaf.weight), "") for leaf in leaves[:-1]}
    services.scores_save(actor=city.expert, subject=subject, values=values)
    with pytest.raises(ValidationError, match="信息化环境建设与网络数据安全"):
        services.subject_mark_reviewed(actor=city.admin, subject=subject)
    with pytest.raises(ValidationError, match="尚未评分"):
        services.scores_submit(actor=city.expert, subject=subject)
    services.scores_save(
        actor=city.expert, subject=subject, values={**values, "environment_security": ("0", "未建立安全制度")}
    )
    done = services.subject_mark_reviewed(actor=city.admin, subject=subject)
    assert done.total == Decimal("80.00")
    assert done.grade == "合格"
    assert done.passed


def test_two_reviewers_are_averaged_once_both_have_submitted(city: City) -> None:
    cycle = opened(city)
    subject = self_assess(subject_of(cycle, city.tree.school), city.cio)
    assign(subject, city.expert, city.admin)
    assign(subject, city.second_expert, city.admin)
    leaves = indicators.leaves(cycle.indicators)
    services.scores_save(actor=city.expert, subject=subject, values={x.id: (str(x.weight), "") for x in leaves})
    after_one = services.scores_submit(actor=city.expert, subject=subject)
    assert after_one.status == SubjectStatus.SELF_ASSESSED  # the second reviewer has not submitted
    half = {x.id: (str(x.weight / 2), "") for x in leaves}
    services.scores_save(actor=city.second_expert, subject=subject, values=half)
    result = services.scores_submit(actor=city.second_expert, subject=subject)
    assert result.status == SubjectStatus.REVIEWED
    assert result.total == Decimal("75.00")


def test_only_an_assigned_reviewer_scores_and_within_the_maximum(city: City) -> None:
    cycle = opened(city)
    subject = self_assess(subject_of(cycle, city.tree.school), city.cio)
    with pytest.raises(ValidationError, match="未被分配"):
        services.scores_save(actor=city.expert, subject=subject, values={"planning": ("10", "")})
    assign(subject, city.expert, city.admin)
    with pytest.raises(ValidationError) as refused:
        services.scores_save(actor=city.expert, subject=subject, values={"planning": ("20.5", "")})
    assert "0 到 20.00" in refused.value.message_dict["score-planning"][0]
    assert not Score.objects.exists()


def test_a_reviewer_is_assigned_only_within_its_area(city: City) -> None:
    cycle = opened(city)
    subjects = [subject_of(cycle, city.tree.school), subject_of(cycle, city.tree.other_school)]
    done = services.reviewers_assign(
        actor=city.admin, cycle=cycle, subject_ids=[s.pk for s in subjects], reviewer=city.county_reviewer
    )
    # 二县实验小学 lies outside 一区 (and has no CIO): skipped.
    assert (done.created, done.skipped) == (1, 1)
    with pytest.raises(ValidationError, match="不是本考核可选"):
        services.reviewers_assign(actor=city.admin, cycle=cycle, subject_ids=[subjects[0].pk], reviewer=city.far_expert)
    with pytest.raises(ValidationError, match="不是本考核可选"):
        services.reviewers_assign(actor=city.admin, cycle=cycle, subject_ids=[subjects[0].pk], reviewer=city.cio)


def test_confirming_all_takes_the_complete_ones_and_counts_the_rest(city: City) -> None:
    cycle = opened(city)
    complete = self_assess(subject_of(cycle, city.tree.school), city.cio)
    partial = self_assess(subject_of(cycle, city.tree.sibling_school), city.sibling_cio)
    assign(complete, city.expert, city.admin)
    give_scores(complete, city.expert, Decimal("0.7"))
    Score.objects.create(subject=partial, indicator_id="planning", reviewer=city.expert, score=5)
    assert services.cycle_mark_reviewed(actor=city.admin, cycle=cycle) == (1, 1)
    complete.refresh_from_db()
    assert complete.status == SubjectStatus.REVIEWED
    assert complete.total == Decimal("70.00")


# --- publishing, rectification, appeals -----------------------------------------------------------


def test_publishing_a_failing_result_opens_one_rectification_order_citing_the_article(city: City) -> None:
    cycle = opened(city)
    failing = scored(city, cycle, "0.4")
    passing = self_assess(subject_of(cycle, city.tree.sibling_school), city.sibling_cio)
    assign(passing, city.expert, city.admin)
    give_scores(passing, city.expert, Decimal("0.9"))
    services.subject_mark_reviewed(actor=city.admin, subject=passing)
    Score.objects.filter(subject=failing, indicator_id="planning").update(comment="规划未经教代会审议")
    done = services.cycle_publish(actor=city.admin, cycle=cycle, appeal_deadline=timezone.localdate())
    assert (done.published, done.failing, done.rectifications) == (2, 1, 1)
    order = RectificationOrder.objects.get()
    assert order.organization == city.tree.school
    assert order.person == city.cio_person
    assert "总分 40.00" in order.findings
    assert "规划未经教代会审议" in order.findings
    assert "信息化发展规划与实施方案" in order.findings
    assert order.article == cycle.on_fail["citation"] == "第四条(二)"
    failing.refresh_from_db()
    assert failing.status == SubjectStatus.PUBLISHED
    assert failing.consequence_at is not None
    with pytest.raises(ValidationError, match="没有已确认评审结果"):
        services.cycle_publish(actor=city.admin, cycle=cycle, appeal_deadline=timezone.localdate())
    # A result changed on appeal but still failing does not open a second order.
    appeal = services.appeal_submit(actor=city.cio, subject=failing, reasons="材料漏评")
    services.appeal_decide(actor=city.admin, appeal=appeal, decision="changed", new_total="45", note="补评后仍不合格")
    assert RectificationOrder.objects.count() == 1


def test_a_result_corrected_to_a_pass_on_appeal_cancels_its_rectification_order(city: City) -> None:
    cycle = opened(city)
    failing = scored(city, cycle, "0.5")
    services.cycle_publish(actor=city.admin, cycle=cycle, appeal_deadline=timezone.localdate())
    order = RectificationOrder.objects.get()
    assert order.status == "open"
    appeal = services.appeal_submit(actor=city.cio, subject=failing, reasons="佐证材料漏评")
    services.appeal_decide(actor=city.admin, appeal=appeal, decision="changed", new_total="75", note="补评后合格")
    order.refresh_from_db()
    assert order.status == "closed"
    assert "补评后合格" in order.close_note
    assert RectificationOrder.objects.count() == 1


def test_a_cycle_without_an_on_fail_rule_opens_no_order(city: City) -> None:
    helan_city = city.tree.far_city
    admin = user_with_role("bureau_admin", helan_city, username="hl_adm")
    county = city.tree.far_county
    appointed = make_person(city.tree.far_school, "马明")
    make_appointment(city.tree.far_school, person=appointed)
    # 贺兰's CIO evaluation is organised by the county bureau and names no rectification.
    county_admin = user_with_role("bureau_admin", county, username="hl_county")
    today = timezone.localdate()
    cycle = services.cycle_create(
        actor=county_admin,
        organization=county,
        cycle_id="cio_performance",
        year=today.year,
        self_deadline=today + timedelta(days=3),
        review_deadline=today + timedelta(days=6),
    )
    services.cycle_open(actor=admin, cycle=cycle)
    subject = self_assess(AssessmentSubject.objects.get(cycle=cycle), county_admin)
    expert = user_with_role("expert", county, username="hl_expert")
    assign(subject, expert, county_admin)
    give_scores(subject, expert, Decimal("0.3"))
    services.subject_mark_reviewed(actor=county_admin, subject=subject)
    done = services.cycle_publish(actor=county_admin, cycle=cycle, appeal_deadline=today)
    assert (done.failing, done.rectifications) == (1, 0)
    assert not RectificationOrder.objects.exists()


def test_a_result_may_be_appealed_once_before_the_deadline(city: City) -> None:
    cycle = opened(city)
    subject = scored(city, cycle, "0.7")
    with pytest.raises(ValidationError, match="已发布"):
        services.appeal_submit(actor=city.cio, subject=subject, reasons="提前申诉")
    services.cycle_publish(actor=city.admin, cycle=cycle, appeal_deadline=timezone.localdate())
    subject.refresh_from_db()
    with pytest.raises(ValidationError, match="申诉理由"):
        services.appeal_submit(actor=city.cio, subject=subject, reasons="  ")
    appeal = services.appeal_submit(actor=city.cio, subject=subject, reasons="评分偏低")
    assert appeal.previous_total == Decimal("70.00")
    with pytest.raises(ValidationError, match="只能申诉一次"):
        services.appeal_submit(actor=city.cio, subject=AssessmentSubject.objects.get(pk=subject.pk), reasons="再诉")
    services.appeal_decide(actor=city.admin, appeal=appeal, decision="upheld", note="维持")
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.PUBLISHED
    assert subject.total == Decimal("70.00")
    with pytest.raises(ValidationError, match="只能申诉一次"):
        services.appeal_submit(actor=city.cio, subject=subject, reasons="处理后再诉")
    assert Appeal.objects.count() == 1


def test_an_appeal_after_the_deadline_is_refused(city: City) -> None:
    cycle = opened(city)
    subject = scored(city, cycle, "0.7")
    services.cycle_publish(actor=city.admin, cycle=cycle, appeal_deadline=timezone.localdate())
    AssessmentCycle.objects.filter(pk=cycle.pk).update(appeal_deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="申诉期已结束"):
        services.appeal_submit(actor=city.cio, subject=AssessmentSubject.objects.get(pk=subject.pk), reasons="晚了")


def test_a_changed_result_that_now_fails_goes_to_rectification(city: City) -> None:
    cycle = opened(city)
    subject = scored(city, cycle, "0.65")
    services.cycle_publish(actor=city.admin, cycle=cycle, appeal_deadline=timezone.localdate())
    appeal = services.appeal_submit(actor=city.cio, subject=AssessmentSubject.objects.get(pk=subject.pk), reasons="x")
    with pytest.raises(ValidationError) as refused:
        services.appeal_decide(actor=city.admin, appeal=appeal, decision="changed", note="复核")
    assert "new_total" in refused.value.message_dict
    services.appeal_decide(actor=city.admin, appeal=appeal, decision="changed", note="复核发现材料不实", new_total="55")
    subject.refresh_from_db()
    assert (subject.grade, subject.passed) == ("不合格", False)
    assert RectificationOrder.objects.filter(organization=city.tree.school).count() == 1


# --- templates -------------------------------------------------------------------------------------


def test_a_copy_is_a_new_version_and_the_original_stays(city: City) -> None:
    first = services.template_create_from_pack(
        actor=city.admin, organization=city.tree.city, cycle_id="cio_annual_evaluation"
    )
    original = list(first.indicators)
    second = services.template_copy(actor=city.admin, organization=city.tree.city, source=first)
    assert (first.version, second.version, second.based_on) == (1, 2, first)
    tree = [{**n, "weight": n["weight"]} for n in second.indicators]
    tree[0] = {**tree[0], "name": "规划与方案(调整)", "evidence": "三年规划与年度计划"}
    services.template_update(
        actor=city.admin, template=second, name="调整版", tree=tree, pass_threshold="65", grades=second.grades
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.indicators == original
    assert first.pass_threshold == Decimal(60)
    assert second.indicators[0]["name"] == "规划与方案(调整)"
    assert second.pass_threshold == Decimal(65)
    # The county copies the city's template into one of its own.
    county_copy = services.template_copy(actor=city.county_admin, organization=city.tree.county, source=second)
    assert county_copy.version == 1
    assert county_copy.based_on == second
    with pytest.raises(ValidationError, match="本单位或上级单位"):
        services.template_copy(actor=city.admin, organization=city.tree.city, source=county_copy)


def test_an_edit_is_refused_when_the_weights_do_not_add_up(city: City) -> None:
    template = services.template_create_from_pack(
        actor=city.admin, organization=city.tree.city, cycle_id="cio_annual_evaluation"
    )
    tree = [dict(n) for n in template.indicators]
    tree[0]["weight"] = 25
    with pytest.raises(ValidationError, match="一级指标权重合计为 105"):
        services.template_update(
            actor=city.admin, template=template, name="x", tree=tree, pass_threshold="60", grades=template.grades
        )
    with pytest.raises(ValidationError, match="最低一档"):
        services.template_update(
            actor=city.admin,
            template=template,
            name="x",
            tree=template.indicators,
            pass_threshold="60",
            grades=[{"name": "合格", "min_score": 60}],
        )
    template.refresh_from_db()
    assert template.indicators[0]["weight"] == 20


def test_a_template_edited_after_opening_does_not_change_the_running_cycle(city: City) -> None:
    template = services.template_create_from_pack(
        actor=city.admin, organization=city.tree.city, cycle_id="cio_annual_evaluation"
    )
    cycle = opened(city, template=template)
    tree = [dict(n) for n in template.indicators]
    tree[0]["name"] = "改名后的指标"
    services.template_update(
        actor=city.admin, template=template, name="新名", tree=tree, pass_threshold="70", grades=template.grades
    )
    cycle.refresh_from_db()
    assert cycle.indicators[0]["name"] == "信息化发展规划与实施方案"
    assert cycle.pass_threshold == Decimal(60)


def test_wuhai_school_inspection_needs_a_template_built_from_scratch(db: None) -> None:
    city = BureauFactory(name="乌海市教育局", bureau_level=BureauLevel.CITY)
    district = BureauFactory(parent=city, name="海勃湾区教育局", bureau_level=BureauLevel.COUNTY)
    district = Organization.objects.get(pk=district.pk)
    SchoolFactory(parent=district, name="海勃湾区第一小学")
    adopt(Organization.objects.get(pk=city.pk), "wuhai-2023")
    admin = user_with_role("bureau_admin", district, username="wh_district")
    today = timezone.localdate()
    dates = {
        "year": today.year,
        "self_deadline": today + timedelta(days=5),
        "review_deadline": today + timedelta(days=9),
    }
    with pytest.raises(ValidationError) as refused:
        services.cycle_create(actor=admin, organization=district, cycle_id="school_inspection", **dates)
    assert "请先建立指标模板" in str(refused.value)
    template = services.template_create_from_pack(actor=admin, organization=district, cycle_id="school_inspection")
    assert template.indicators == []
    assert template.pass_threshold is None
    with pytest.raises(ValidationError, match="尚未设置指标"):
        services.cycle_create(
            actor=admin, organization=district, cycle_id="school_inspection", template=template, **dates
        )
    tree = [
        {"id": "infrastructure", "name": "基础设施达标", "weight": 40},
        {"id": "application", "name": "应用与融合", "weight": 60},
    ]
    grades = [{"name": "优秀", "min_score": 90}, {"name": "合格", "min_score": 60}, {"name": "不合格", "min_score": 0}]
    template = services.template_update(
        actor=admin, template=template, name="督导考核标准", tree=tree, pass_threshold="60", grades=grades
    )
    cycle = services.cycle_create(
        actor=admin, organization=district, cycle_id="school_inspection", template=template, **dates
    )
    assert services.cycle_open(actor=admin, cycle=cycle) == 1
    cycle.refresh_from_db()
    assert [n["id"] for n in cycle.indicators] == ["infrastructure", "application"]
    assert cycle.status == CycleStatus.OPEN
    assert cycle.on_fail == {}
    assert IndicatorTemplate.objects.get().version == 1


def test_publishing_tells_each_assessed_unit_once(city: City) -> None:
    from educio.notifications.models import Notification, NotificationKind

    cycle = opened(city)
    scored(city, cycle, "0.9")
    services.cycle_publish(actor=city.admin, cycle=cycle, appeal_deadline=timezone.localdate())
    told = Notification.objects.filter(kind=NotificationKind.ASSESSMENT_RESULT)
    assert told.count() >= 1
    assert set(told.values_list("organization_id", flat=True)) == {city.tree.school.pk}
    assert city.cio.pk in set(told.values_list("recipient_id", flat=True))
