"""The post, term and coverage rules of the packs, evaluated on the appointments (policies.compliance)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from educio.appointments.models import AppointmentStatus, EndReason, NominationKind
from educio.appointments.services import add_years
from educio.appointments.tests.factories import adopt, make_appointment, make_nomination, make_person
from educio.orgs.models import Organization, OrgKind
from educio.orgs.tests.factories import OrganizationFactory, SchoolFactory
from educio.policies.compliance import Status, evaluate_units
from educio.workflow.models import ProcessState


def findings(units: list[Organization], rule_id: str) -> dict[int, Any]:
    return {f.unit.pk: f for f in evaluate_units(units, rule_ids={rule_id})}


def three_year_term(start: date) -> dict[str, date]:
    return {"starts_on": start, "ends_on": add_years(start, 3) - timedelta(days=1)}


@pytest.fixture
def university(tree: Any) -> Organization:
    uni = OrganizationFactory(parent=tree.far_city, name="乙市学院", kind=OrgKind.UNIVERSITY, bureau_level="")
    adopt(uni, "yichun-2025")
    return Organization.objects.get(pk=uni.pk)


class TestPostFilled:
    def test_none_one_and_two_active_cios(self, tree):
        adopt(tree.county, "jiaozuo-2022")
        third = SchoolFactory(parent=tree.county, name="一区第三小学")
        make_appointment(tree.school, person=make_person(tree.school, "王芳"))
        make_appointment(tree.sibling_school, status=AppointmentStatus.ENDED)
        make_appointment(third, person=make_person(third, "赵强"))
        make_appointment(third, person=make_person(third, "钱亮"))

        found = findings([tree.school, tree.sibling_school, third], "posts.cio.filled")

        assert found[tree.school.pk].status == Status.PASS
        assert found[tree.school.pk].explanation == "已设立首席教育信息官（CIO）:王芳"
        assert found[tree.sibling_school.pk].status == Status.FAIL
        assert found[tree.sibling_school.pk].explanation == "未设立首席教育信息官（CIO）"
        assert found[third.pk].status == Status.FAIL
        assert "在任首席教育信息官（CIO）2名(赵强、钱亮),超过规定的1名" in found[third.pk].explanation
        assert found[third.pk].article_number

    def test_the_university_holds_the_post_under_yichun(self, university):
        assert findings([university], "posts.cio.filled")[university.pk].explanation == "未设立首席信息官（CIO）"
        make_appointment(university, **three_year_term(date(2025, 1, 1)))
        assert findings([university], "posts.cio.filled")[university.pk].status == Status.PASS

    def test_a_page_of_units_costs_a_fixed_number_of_queries(self, tree, django_assert_num_queries):
        adopt(tree.county, "jiaozuo-2022")
        schools = [SchoolFactory(parent=tree.county, name=f"加测学校{i}") for i in range(20)]
        for school in schools[::2]:
            make_appointment(school)
        units = list(Organization.objects.filter(pk__in=[s.pk for s in schools]))
        with django_assert_num_queries(2):  # the packs, then the appointments of the whole page
            evaluate_units(units[:2], rule_ids={"posts.cio.filled"})
        with django_assert_num_queries(2):
            result = evaluate_units(units, rule_ids={"posts.cio.filled"})
        assert [f.status for f in result].count(Status.PASS) == 10


class TestTerms:
    def test_a_term_past_its_end_is_not_renewed(self, university):
        make_appointment(university, **three_year_term(date(2021, 9, 1)))

        finding = findings([university], "term.cio.limits")[university.pk]

        assert finding.status == Status.FAIL
        assert "任期已于2024年08月31日届满未续聘" in finding.explanation
        assert finding.article_number == "第七条(二)"

    def test_a_third_consecutive_term_breaks_yichun(self, university):
        start = timezone.localdate() - timedelta(days=100)
        make_appointment(university, term_number=3, **three_year_term(start))

        finding = findings([university], "term.cio.limits")[university.pk]

        assert finding.status == Status.FAIL
        assert "已连续任职第3届,超过连任不超过2届的规定" in finding.explanation

    def test_a_second_term_of_three_years_passes(self, university):
        start = timezone.localdate() - timedelta(days=100)
        make_appointment(university, term_number=2, **three_year_term(start))

        finding = findings([university], "term.cio.limits")[university.pk]

        assert finding.status == Status.PASS
        assert "第2届任期" in finding.explanation

    def test_helan_terms_are_at_least_three_years(self, tree):
        adopt(tree.far_county, "helan-2024")
        start = timezone.localdate() - timedelta(days=30)
        make_appointment(tree.far_school, starts_on=start, ends_on=add_years(start, 2))

        finding = findings([tree.far_school], "term.cio.limits")[tree.far_school.pk]

        assert finding.status == Status.FAIL
        assert "不足3年" in finding.explanation

    def test_no_holder_is_not_evaluable_never_a_pass(self, university):
        assert findings([university], "term.cio.limits")[university.pk].status == Status.NOT_EVALUABLE


class TestChangeFiling:
    def test_a_replacement_without_a_change_filing_fails(self, tree):
        adopt(tree.far_county, "helan-2024")
        old = make_appointment(tree.far_school, status=AppointmentStatus.ENDED, end_reason=EndReason.REPLACED)
        make_appointment(tree.far_school, predecessor=old)

        finding = findings([tree.far_school], "term.cio.change_refiled")[tree.far_school.pk]

        assert finding.status == Status.FAIL
        assert finding.explanation == "任期内变更1次,其中1次未按规定报备"

    def test_a_replacement_through_a_change_nomination_passes(self, tree):
        adopt(tree.far_county, "helan-2024")
        old = make_appointment(tree.far_school, status=AppointmentStatus.ENDED, end_reason=EndReason.REPLACED)
        filing = make_nomination(tree.far_school, state=ProcessState.APPROVED, kind=NominationKind.CHANGE, replaces=old)
        make_appointment(tree.far_school, person=filing.person, nomination=filing, predecessor=old)

        finding = findings([tree.far_school], "term.cio.change_refiled")[tree.far_school.pk]

        assert finding.status == Status.PASS
        assert finding.explanation == "任期内变更1次,均已报备"

    def test_no_appointment_yet_is_not_evaluable(self, tree):
        adopt(tree.far_county, "helan-2024")
        finding = findings([tree.far_school], "term.cio.change_refiled")[tree.far_school.pk]
        assert finding.status == Status.NOT_EVALUABLE


class TestHolderEligible:
    def test_the_recorded_check_of_the_holders_nomination_decides(self, tree):
        adopt(tree.county, "jiaozuo-2022")
        failing = {"verdict": "fail", "findings": [{"rule": "r1", "label": "CIO培训合格证", "status": "fail"}]}
        passed = make_nomination(tree.school, state=ProcessState.APPROVED)
        refused = make_nomination(tree.sibling_school, state=ProcessState.APPROVED, eligibility=failing)
        make_appointment(tree.school, person=passed.person, nomination=passed)
        make_appointment(tree.sibling_school, person=refused.person, nomination=refused)

        found = findings([tree.school, tree.sibling_school], "eligibility.cio")

        assert found[tree.school.pk].status == Status.PASS
        assert found[tree.sibling_school.pk].status == Status.FAIL
        assert "CIO培训合格证" in found[tree.sibling_school.pk].explanation

    def test_an_appointment_without_a_nomination_is_not_evaluable(self, tree):
        adopt(tree.county, "jiaozuo-2022")
        make_appointment(tree.school)
        finding = findings([tree.school], "eligibility.cio")[tree.school.pk]
        assert finding.status == Status.NOT_EVALUABLE


class TestCoverageTarget:
    def test_a_county_below_the_target_fails_with_the_days_left_and_passes_once_full(self, tree):
        adopt(tree.county, "helan-2024")
        make_appointment(tree.school)

        finding = findings([tree.county], "coverage.full_coverage_2025")[tree.county.pk]

        assert finding.status == Status.FAIL
        assert finding.explanation.startswith("已设立1个,须设立2个,覆盖率50%,未达到100%的目标")
        assert "2025年12月31日" in finding.explanation
        make_appointment(tree.sibling_school)
        finding = findings([tree.county], "coverage.full_coverage_2025")[tree.county.pk]
        assert finding.status == Status.PASS
        assert finding.explanation == "已设立2个,须设立2个,覆盖率100%,达到100%的目标"

    def test_city_and_counties_are_judged_on_their_own_subtrees_in_one_query_per_level(
        self, tree, django_assert_num_queries
    ):
        adopt(tree.city, "jiaozuo-2022")
        make_appointment(tree.school)
        make_appointment(tree.sibling_school)
        units = [tree.city, tree.county, tree.other_county]

        with django_assert_num_queries(4):  # packs; adoptions; one count per depth (city, counties)
            found = findings(units, "coverage.every_school_has_cio")

        assert found[tree.county.pk].status == Status.PASS
        assert found[tree.other_county.pk].status == Status.FAIL
        assert found[tree.city.pk].status == Status.FAIL
        assert found[tree.city.pk].explanation.startswith("已设立2个,须设立3个,覆盖率66.7%")

    def test_a_county_on_another_pack_is_left_out_of_the_citys_target(self, tree):
        adopt(tree.city, "jiaozuo-2022")
        adopt(tree.other_county, "helan-2024")
        make_appointment(tree.school)
        make_appointment(tree.sibling_school)

        finding = findings([tree.city], "coverage.every_school_has_cio")[tree.city.pk]

        assert finding.status == Status.PASS
        assert finding.explanation.startswith("已设立2个,须设立2个")

    def test_a_bureau_without_schools_is_not_evaluable(self, tree):
        adopt(tree.far_city, "helan-2024")
        empty = OrganizationFactory(parent=tree.far_city, name="乙市空区教育局", bureau_level="county")
        finding = findings([empty], "coverage.full_coverage_2025")[empty.pk]
        assert finding.status == Status.NOT_EVALUABLE
