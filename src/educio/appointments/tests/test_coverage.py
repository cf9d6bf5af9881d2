"""Coverage: which units need a CIO (from their pack), which have one, by child unit, against the pack's target."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from educio.accounts.roles import Role
from educio.accounts.tests.factories import user_with_role
from educio.appointments.coverage import coverage_gaps, coverage_report, coverage_summary
from educio.appointments.models import AppointmentStatus, NominationStatus
from educio.appointments.tests.factories import adopt, make_appointment, make_nomination, seed_pack
from educio.orgs.models import Organization, OrgKind
from educio.orgs.tests.factories import OrganizationFactory, SchoolFactory
from educio.workflow.models import ProcessState


def pack_title(pack_id: str) -> str:
    return seed_pack(pack_id).title


def university_under(parent: Organization, name: str = "甲市学院") -> Organization:
    uni = OrganizationFactory(parent=parent, name=name, kind=OrgKind.UNIVERSITY, bureau_level="")
    OrganizationFactory(parent=uni, name=f"{name}信息中心", kind=OrgKind.DEPARTMENT, bureau_level="")
    return Organization.objects.get(pk=uni.pk)


@pytest.fixture
def staffed(tree: Any) -> dict[str, Organization]:
    """焦作 for the city, 宜春 for a university under it; a mix of units with and without an active CIO."""
    adopt(tree.city, "jiaozuo-2022")
    uni = university_under(tree.city)
    adopt(uni, "yichun-2025")
    second = SchoolFactory(parent=tree.other_county, name="二县第二小学")
    closed = SchoolFactory(parent=tree.county, name="一区已撤并小学", is_active=False)
    make_appointment(tree.school)
    make_appointment(tree.sibling_school, status=AppointmentStatus.ENDED)
    make_appointment(tree.sibling_school, status=AppointmentStatus.REVOKED)
    make_appointment(tree.other_school)
    make_appointment(tree.county)  # a bureau needs no CIO of its own under 焦作: not counted
    make_appointment(closed)  # an inactive unit is not counted
    make_appointment(uni)
    return {"university": uni, "second": second, "closed": closed}


def rows_by_name(report: Any) -> dict[str, tuple[int, int]]:
    return {r.unit.name: (r.tally.required, r.tally.held) for r in report.rows}


def test_city_coverage_by_county_counts_active_cios_of_the_units_the_pack_names(tree, staffed):
    report = coverage_report(tree.city)

    assert rows_by_name(report) == {
        "甲市一区教育局": (2, 1),  # the ended and the revoked appointment do not count
        "甲市二县教育局": (2, 1),
        "甲市学院": (1, 1),  # 宜春 asks for a CIO at the university, not at its departments
    }
    assert (report.total.required, report.total.held, report.total.missing) == (5, 3, 2)
    assert report.total.share == 60.0
    assert report.unit_kinds == ["school", "university"]


def test_the_target_counts_only_the_units_its_pack_governs(tree, staffed):
    report = coverage_report(tree.city)

    (target,) = report.targets  # 宜春 sets no coverage target
    assert target.pack.pack_id == "jiaozuo-2022"
    assert (target.tally.required, target.tally.held) == (4, 2)
    assert target.label == "未达标"  # 焦作 prints no date
    assert target.css == "red"
    assert target.article is not None
    assert target.article.number


def test_a_county_under_another_pack_brings_its_own_target(tree, staffed):
    adopt(tree.county, "helan-2024")
    report = coverage_report(tree.city, today=date(2025, 6, 1))

    targets = {t.pack.pack_id: t for t in report.targets}
    assert (targets["jiaozuo-2022"].tally.required, targets["jiaozuo-2022"].tally.held) == (2, 1)
    helan = targets["helan-2024"]
    assert (helan.tally.required, helan.tally.held) == (2, 1)
    assert helan.label == "未达标,距截止213天"
    assert helan.css == "orange"


def test_target_verdict_before_after_and_once_met(tree):
    adopt(tree.far_county, "helan-2024")

    assert coverage_report(tree.far_county, today=date(2026, 1, 10)).targets[0].label == "未达标,已逾期10天"
    make_appointment(tree.far_school)
    met = coverage_report(tree.far_county, today=date(2025, 6, 1)).targets[0]
    assert (met.label, met.css, met.tally.share) == ("达标", "green", 100.0)


def test_a_unit_without_a_pack_needs_no_cio(tree):
    report = coverage_report(tree.far_city)

    assert report.total.required == 0
    assert report.targets == []
    assert [r.unit.name for r in report.rows] == ["乙市三区教育局"]


def test_county_rows_are_its_schools(tree, staffed):
    report = coverage_report(tree.county)

    assert rows_by_name(report) == {"一区第一小学": (1, 1), "一区第二中学": (1, 0)}


def test_expiring_terms_and_nominations_by_status_per_county(tree, staffed):
    today = timezone.localdate()
    make_appointment(tree.sibling_school, ends_on=today + timedelta(days=30), starts_on=today - timedelta(days=700))
    make_appointment(staffed["second"], ends_on=today + timedelta(days=200), starts_on=today - timedelta(days=700))
    make_nomination(tree.school, state=ProcessState.IN_REVIEW)
    make_nomination(tree.sibling_school, state=ProcessState.DRAFT)
    make_nomination(tree.sibling_school, state=ProcessState.RETURNED)
    make_nomination(tree.other_school, state=ProcessState.REJECTED)
    make_nomination(tree.other_school, state=ProcessState.APPROVED)
    appointed = make_nomination(staffed["second"], state=ProcessState.APPROVED)
    make_appointment(staffed["second"], person=appointed.person, nomination=appointed)
    make_nomination(tree.far_school, state=ProcessState.IN_REVIEW)  # another city

    report = coverage_report(tree.city)
    county, other = (next(r for r in report.rows if r.unit == unit) for unit in (tree.county, tree.other_county))

    assert county.expiring == 1
    assert other.expiring == 0
    assert county.nominations == {"in_review": 1, "draft": 1, "returned": 1}
    assert other.nominations == {"rejected": 1, "approved": 1, "appointed": 1}
    assert report.in_review == 1
    assert [(s, n) for s, _label, n in report.nomination_counts] == [
        (NominationStatus.DRAFT, 1),
        (NominationStatus.IN_REVIEW, 1),
        (NominationStatus.RETURNED, 1),
        (NominationStatus.APPROVED, 1),
        (NominationStatus.REJECTED, 1),
        (NominationStatus.APPOINTED, 1),
    ]
    assert rows_by_name(report)["甲市二县教育局"] == (2, 2)


def test_the_report_costs_the_same_queries_for_few_and_many_schools(tree, django_assert_num_queries):
    adopt(tree.city, "jiaozuo-2022")
    with django_assert_num_queries(5):
        coverage_report(tree.city)
    for i in range(30):
        school = SchoolFactory(parent=tree.other_county if i % 2 else tree.county, name=f"加测学校{i}")
        make_appointment(school)
        make_nomination(school)
    with django_assert_num_queries(5):
        report = coverage_report(tree.city)
    assert report.total.held == 30


def test_summary_covers_the_users_scope_only(tree, staffed):
    county_reader = user_with_role(Role.INSPECTOR, tree.county)
    city_reader = user_with_role(Role.INSPECTOR, tree.city)

    county = coverage_summary(user=county_reader)
    city = coverage_summary(user=city_reader)

    assert (county.tally.required, county.tally.held) == (2, 1)
    assert (city.tally.required, city.tally.held) == (5, 3)
    assert county.target is not None
    assert county.target.pack.pack_id == "jiaozuo-2022"


def test_gaps_are_the_units_needing_a_cio_without_one(tree, staffed, county_admin, city_admin):
    make_nomination(tree.sibling_school, state=ProcessState.RETURNED)

    county = coverage_gaps(user=county_admin)
    city = coverage_gaps(user=city_admin)

    assert [u.name for u in county.units.order_by("path")] == ["一区第二中学"]
    assert county.units.get().nomination_status == ProcessState.RETURNED
    assert sorted(u.name for u in city.units) == ["一区第二中学", "二县第二小学"]
    assert {city.pack_title(u) for u in city.units} == {pack_title("jiaozuo-2022")}


# --- the pages ------------------------------------------------------------------------------------


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_county_admin_sees_the_county_by_default_and_not_another(tree, staffed, county_admin):
    client = signed_in(county_admin)

    response = client.get(reverse("dashboard:coverage"))
    assert response.status_code == 200
    assert response.context["report"].root == tree.county
    html = response.content.decode()
    assert "一区第二中学" in html
    assert "二县" not in html
    assert f'?org={tree.county.pk}&status=active&expiring=90"' in html
    assert f"{reverse('appointments:nomination_list')}?org={tree.county.pk}&status=in_review" in html
    assert f"{reverse('dashboard:coverage_gaps')}?org={tree.county.pk}" in html

    assert client.get(reverse("dashboard:coverage"), {"org": tree.other_county.pk}).status_code == 404
    assert client.get(reverse("dashboard:coverage_gaps"), {"org": tree.other_county.pk}).status_code == 404


def test_city_page_shows_each_county_with_its_links_and_the_charts(tree, staffed, city_admin):
    response = signed_in(city_admin).get(reverse("dashboard:coverage"), {"org": tree.city.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert "甲市二县教育局" in html
    assert f'href="?org={tree.other_county.pk}"' in html
    assert f"{reverse('appointments:appointment_list')}?org={tree.other_county.pk}&status=active" in html
    assert 'data-chart="coverage-share-data"' in html
    share = response.context["share_chart"]
    assert share["series"][0]["data"] == [50.0, 50.0, 100.0]
    assert share["series"][0]["markLine"]["data"] == [{"yAxis": 100.0}]
    assert "未达标" in html


def test_gaps_page_lists_and_exports_the_units_without_a_cio(tree, staffed, city_admin):
    client = signed_in(city_admin)

    page = client.get(reverse("dashboard:coverage_gaps"), {"org": tree.other_county.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "二县第二小学" in html
    assert "一区第二中学" not in html
    assert "尚未推荐" in html

    export = client.get(reverse("dashboard:coverage_gaps"), {"export": "xlsx"})
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0])
    assert names == ["一区第二中学", "二县第二小学"]


def test_home_card_shows_the_share_for_appointment_readers(tree, staffed, county_admin):
    response = signed_in(county_admin).get(reverse("dashboard:home"))

    assert response.status_code == 200
    assert response.context["coverage"].tally.share == 50.0
    html = response.content.decode()
    assert 'id="coverage-card"' in html
    assert reverse("dashboard:coverage") in html


def test_no_coverage_for_roles_without_appointment_view(tree, staffed):
    expert = user_with_role(Role.EXPERT, tree.county)
    client = signed_in(expert)

    assert client.get(reverse("dashboard:coverage")).status_code == 403
    home = client.get(reverse("dashboard:home"))
    assert home.context["coverage"] is None
    assert 'id="coverage-card"' not in home.content.decode()
