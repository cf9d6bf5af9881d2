"""Training compliance per pack: 贺兰 第十六条 (>= 1 centralised training a year for the CIO), set-based."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments.models import Appointment, AppointmentStatus
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.orgs.tests.factories import SchoolFactory
from educio.policies.compliance import Status, checkable_rules, evaluate_units
from educio.policies.schema.people import TrainingRequirement
from educio.policies.selectors import effective_pack
from educio.training import compliance
from educio.training.models import TrainingResult
from educio.training.tests.factories import attended, make_event

TODAY = timezone.localdate()
YEAR = TODAY.year


def holder(school: Any, name: str) -> Appointment:
    return make_appointment(school, person=make_person(school, name))


@pytest.fixture
def helan(tree: Any) -> dict[str, Any]:
    """贺兰 in force in the county: three schools' CIOs, one centralised county training this year."""
    adopt(tree.county, "helan-2024")
    third = SchoolFactory(parent=tree.county, name="一区第三小学")
    cios = {
        "trained": holder(tree.school, "已参训"),
        "school_only": holder(tree.sibling_school, "仅校本"),
        "absent": holder(third, "未参训"),
    }
    county_training = make_event(tree.county, "全县首席信息官集中培训", starts_on=date(YEAR, 1, 10))
    attended(county_training, cios["trained"].person)
    school_training = make_event(tree.sibling_school, "校本研修", starts_on=date(YEAR, 1, 10), centralised=False)
    attended(school_training, cios["school_only"].person)
    return {"cios": cios, "third": third}


def requirement_of(unit: Any) -> compliance.RequirementInForce:
    (found,) = compliance.requirements_in_force(unit)
    return found


def statuses(user: Any, unit: Any, year: int = YEAR) -> dict[str, bool]:
    requirement = requirement_of(unit)
    windows = compliance.period_windows(requirement.requirement.period, year, date(year, 12, 31))
    rows = compliance.holders(user=user, root=unit, requirement=requirement, windows=windows)
    return {a.person.name: a.compliant for a in rows}


# --- periods -------------------------------------------------------------------------------------


def test_an_annual_requirement_is_counted_over_the_calendar_year():
    (window,) = compliance.period_windows("annual", 2025, date(2025, 6, 1))
    assert (window.label, window.start, window.end) == ("2025年", date(2025, 1, 1), date(2025, 12, 31))


def test_only_the_windows_that_have_begun_are_due():
    assert [w.label for w in compliance.period_windows("semester", 2025, date(2025, 5, 1))] == ["2025年春季学期"]
    assert len(compliance.period_windows("semester", 2024, date(2025, 5, 1))) == 2
    assert [w.label for w in compliance.period_windows("quarterly", 2025, date(2025, 8, 15))] == [
        "2025年第1季度",
        "2025年第2季度",
        "2025年第3季度",
    ]
    (biennial,) = compliance.period_windows("biennial", 2025, date(2025, 1, 1))
    assert (biennial.start, biennial.end) == (date(2024, 1, 1), date(2025, 12, 31))


# --- 贺兰 ----------------------------------------------------------------------------------------


def test_helan_cios_with_a_centralised_county_training_this_year_comply(helan, county_admin, tree):
    assert statuses(county_admin, tree.county) == {"已参训": True, "仅校本": False, "未参训": False}


def test_last_years_training_does_not_count_this_year(helan, county_admin, tree):
    old = make_event(tree.county, "去年的培训", starts_on=date(YEAR - 1, 3, 1))
    attended(old, helan["cios"]["absent"].person)

    assert statuses(county_admin, tree.county)["未参训"] is False
    assert statuses(county_admin, tree.county, YEAR - 1)["未参训"] is True


def test_a_failed_or_cancelled_or_school_level_training_does_not_count(helan, county_admin, tree):
    person = helan["cios"]["absent"].person
    failed = make_event(tree.county, "考核未通过", starts_on=date(YEAR, 1, 5))
    attended(failed, person, TrainingResult.FAILED)
    cancelled = make_event(tree.county, "已取消", starts_on=date(YEAR, 1, 6), is_cancelled=True)
    attended(cancelled, person)
    school_level = make_event(helan["third"], "校级集中培训", starts_on=date(YEAR, 1, 7))
    attended(school_level, person)

    assert statuses(county_admin, tree.county)["未参训"] is False

    passed = make_event(tree.city, "市级集中培训", starts_on=date(YEAR, 1, 8))
    attended(passed, person, TrainingResult.PASSED)
    assert statuses(county_admin, tree.county)["未参训"] is True


def test_only_active_holders_must_comply_and_only_in_the_scope(helan, tree):
    helan["cios"]["absent"].status = AppointmentStatus.ENDED
    helan["cios"]["absent"].ended_on = TODAY
    helan["cios"]["absent"].end_reason = "expired"
    helan["cios"]["absent"].save()
    school_cio = user_with_role("cio", tree.school)

    assert set(statuses(school_cio, tree.county)) == {"已参训"}


def test_the_report_counts_per_child_unit(helan, county_admin, tree):
    report = compliance.compliance_report(
        user=county_admin, root=tree.county, year=YEAR, requirement=requirement_of(tree.county)
    )

    assert (report.total, report.compliant, report.missing) == (3, 1, 2)
    by_unit = {row.unit.name: (row.total, row.compliant) for row in report.rows}
    assert by_unit == {"一区第一小学": (1, 1), "一区第二中学": (1, 0), "一区第三小学": (1, 0)}
    assert report.requirement is not None
    assert report.requirement.citation == "第16条"
    chart = compliance.chart_option(report)
    assert chart["series"][1]["data"] == [0, 1, 1]


def test_the_report_costs_the_same_queries_for_few_and_many_holders(helan, county_admin, tree):
    requirement = requirement_of(tree.county)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            compliance.compliance_report(user=county_admin, root=tree.county, year=YEAR, requirement=requirement)
        return len(queries)

    cost()  # the user's role assignments are read once, then kept on the user
    few = cost()
    for i in range(15):
        school = SchoolFactory(parent=tree.county, name=f"新学校{i}")
        attended(make_event(tree.county, f"培训{i}", starts_on=date(YEAR, 1, 3)), holder(school, f"新人{i}").person)
    assert cost() == few


def test_the_compliance_engine_checks_helan_schools(helan, tree):
    findings = {
        f.unit.pk: f
        for f in evaluate_units([tree.school, tree.sibling_school, helan["third"]])
        if f.rule.id == "training.annual_centralised_training"
    }

    assert findings[tree.school.pk].status == Status.PASS
    assert "已参训(1次)" in findings[tree.school.pk].explanation
    failed = findings[tree.sibling_school.pk]
    assert failed.status == Status.FAIL
    assert failed.full_explanation == f"第16条:仅校本(0次){YEAR}年参加集中培训不足1次"


def test_a_school_without_a_cio_cannot_be_judged(tree):
    adopt(tree.county, "helan-2024")
    (finding,) = [f for f in evaluate_units([tree.school]) if f.rule.kind == "training_requirement"]
    assert finding.status == Status.NOT_EVALUABLE


def test_a_pack_without_training_requirements_reports_nothing_to_check(tree, county_admin):
    adopt(tree.city, "jiaozuo-2022")
    holder(tree.school, "焦作校长")

    assert compliance.requirements_in_force(tree.county) == []
    pack = effective_pack(tree.school)
    assert pack is not None
    assert not [r for r in checkable_rules(pack) if r.kind == "training_requirement"]
    report = compliance.compliance_report(user=county_admin, root=tree.county, year=YEAR, requirement=None)
    assert (report.total, report.rows) == (0, [])


def test_a_semester_requirement_needs_a_training_in_every_semester_begun(tree, county_admin):
    requirement = TrainingRequirement(
        id="each_semester", name="每学期1次", posts=["cio"], period="semester", min_count=1, article="a1"
    )
    cio = holder(tree.school, "每学期")
    attended(make_event(tree.county, "春季", starts_on=date(2024, 3, 1)), cio.person)
    queryset = Appointment.objects.filter(pk=cio.pk)

    def compliant(today: date) -> bool:
        windows = compliance.period_windows("semester", 2024, today)
        return compliance.annotate_compliance(queryset, requirement, windows).get().compliant  # type: ignore[attr-defined]

    assert compliant(date(2024, 6, 1)) is True
    assert compliant(date(2024, 9, 1)) is False
    attended(make_event(tree.county, "秋季", starts_on=date(2024, 10, 8)), cio.person)
    assert compliant(date(2024, 12, 1)) is True


def test_min_hours_count_the_hours_each_person_got(tree):
    requirement = TrainingRequirement(
        id="long", name="不少于8学时", posts=["cio"], period="annual", min_count=1, min_hours=8, article="a1"
    )
    cio = holder(tree.school, "学时")
    event = make_event(tree.county, "十二学时", starts_on=date(2024, 3, 1), hours="12")
    enrollment = attended(event, cio.person)
    windows = compliance.period_windows("annual", 2024, date(2024, 12, 31))
    queryset = Appointment.objects.filter(pk=cio.pk)

    assert compliance.annotate_compliance(queryset, requirement, windows).get().compliant is True  # type: ignore[attr-defined]
    enrollment.hours_attended = 6
    enrollment.save()
    assert compliance.annotate_compliance(queryset, requirement, windows).get().compliant is False  # type: ignore[attr-defined]
