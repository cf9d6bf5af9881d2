"""What the eligibility rules learn from a person record, and the form values that correct it."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from educio.people.models import AdminRank, CertificateLevel, Person, PoliticalStatus, Position, TitleLevel
from educio.people.selectors import person_facts, with_record, years_by_kind
from educio.people.tests.factories import CertificateFactory, ExperienceFactory, PersonFactory
from educio.people.values import parse_date, title_level_of, years_between
from educio.policies.eligibility import Certificate, FindingStatus, Verdict, evaluate
from educio.policies.loader import parse_pack
from educio.policies.tests.conftest import pack_text

TODAY = date(2025, 10, 1)
MANAGEMENT = "school_informatization_management"


@cache
def pack(pack_id: str):
    return parse_pack(pack_text(pack_id)).pack


@pytest.fixture
def person(tree) -> Person:
    return PersonFactory(organization=tree.school)


# --- certificates, years, party -------------------------------------------------------------------


def test_certificates_come_from_the_certificate_rows(person):
    CertificateFactory(person=person, kind="cio_training", level=CertificateLevel.COUNTY, issued_on=date(2023, 7, 1))
    CertificateFactory(person=person, kind="informatization_training", level=CertificateLevel.CITY)

    facts = person_facts(person, today=TODAY)

    assert set(facts.certificates) == {
        Certificate("cio_training", "county", date(2023, 7, 1)),
        Certificate("informatization_training", "city", date(2023, 7, 1)),
    }


def test_years_in_role_sum_lines_of_the_kind_and_open_lines_run_until_today(person):
    ExperienceFactory(person=person, kind=MANAGEMENT, started_on=date(2015, 9, 1), ended_on=date(2017, 9, 1))
    ExperienceFactory(person=person, kind=MANAGEMENT, started_on=date(2024, 10, 1), ended_on=None)
    ExperienceFactory(person=person, kind="", started_on=date(2000, 9, 1), ended_on=None)  # counts for nothing

    assert person_facts(person, today=TODAY).years_in_role == {MANAGEMENT: 3.0}


def test_overlapping_lines_of_one_kind_count_once(person):
    ExperienceFactory(person=person, kind=MANAGEMENT, started_on=date(2020, 9, 1), ended_on=date(2022, 9, 1))
    ExperienceFactory(person=person, kind=MANAGEMENT, started_on=date(2021, 9, 1), ended_on=date(2023, 9, 1))

    assert person_facts(person, today=TODAY).years_in_role[MANAGEMENT] == 3.0


def test_years_are_never_rounded_up_to_meet_a_rule():
    line = ExperienceFactory.build(kind=MANAGEMENT, started_on=date(2023, 10, 20), ended_on=None)
    assert years_by_kind([line], TODAY) == {MANAGEMENT: 1.9}  # 1.95 years is not 满2年


def test_a_full_year_is_reached_on_the_anniversary_with_or_without_a_29_february():
    assert years_between(date(2021, 1, 1), date(2024, 1, 1)) == 3
    assert years_between(date(2020, 2, 29), date(2023, 2, 28)) == 3
    assert years_between(date(2022, 9, 1), date(2025, 8, 31)) < 3


def test_years_at_unit_from_the_joining_date_and_unknown_without_it(person):
    person.joined_unit_on = date(2015, 9, 1)
    assert person_facts(person, today=TODAY).years_at_unit == 10.0
    person.joined_unit_on = None
    assert person_facts(person, today=TODAY).years_at_unit is None


@pytest.mark.parametrize(
    ("status", "member"),
    [
        (PoliticalStatus.PARTY_MEMBER, True),
        (PoliticalStatus.PROBATIONARY, False),
        (PoliticalStatus.MASSES, False),
        ("", None),
    ],
)
def test_only_a_full_party_member_counts_and_a_blank_status_is_unknown(person, status, member):
    person.political_status = status
    assert person_facts(person, today=TODAY).party_member is member


def test_title_rank_positions_and_attestations_are_passed_through(person):
    person.title_level = TitleLevel.SENIOR
    person.admin_rank = AdminRank.DIVISION
    person.positions = [Position.VICE_PRESIDENT_IT]

    facts = person_facts(person, today=TODAY, attestations=["leadership_authorisation"])

    assert (facts.title_level, facts.admin_rank) == ("senior", "division")
    assert facts.positions == {"vice_president_it"}
    assert facts.attestations == {"leadership_authorisation"}


# --- the nomination form corrects the record ----------------------------------------------------------


def test_form_values_take_precedence_over_the_record(person):
    person.political_status = PoliticalStatus.MASSES
    person.joined_unit_on = date(2024, 9, 1)

    facts = person_facts(
        person, today=TODAY, overrides={"political_status": "中共党员", "joined_unit_on": "2015-09-01"}
    )

    assert facts.party_member is True
    assert facts.years_at_unit == 10.0


def test_a_form_may_say_other_than_party_member_in_its_own_words(person):
    person.political_status = PoliticalStatus.PARTY_MEMBER
    assert person_facts(person, today=TODAY, overrides={"political_status": "其他"}).party_member is False


def test_blank_form_values_leave_the_record_in_force(person):
    person.political_status = PoliticalStatus.PARTY_MEMBER
    person.joined_unit_on = date(2015, 9, 1)

    facts = person_facts(person, today=TODAY, overrides={"political_status": "", "joined_unit_on": None})

    assert (facts.party_member, facts.years_at_unit) == (True, 10.0)


def test_titles_and_ranks_typed_on_the_form_are_read_as_grades(person):
    person.title_level = TitleLevel.INTERMEDIATE

    facts = person_facts(person, today=TODAY, overrides={"professional_title": "教授", "admin_rank": "副处级"})

    assert (facts.title_level, facts.admin_rank) == ("senior", "division_deputy")


def test_a_month_on_the_form_is_its_first_day_and_an_unreadable_date_is_unknown(person):
    assert person_facts(person, today=TODAY, overrides={"joined_unit_on": "2022-10"}).years_at_unit == 3.0
    assert person_facts(person, today=TODAY, overrides={"joined_unit_on": "去年"}).years_at_unit is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2015-09-01", date(2015, 9, 1)), ("2015/9/1", date(2015, 9, 1)), ("2015年9月", date(2015, 9, 1))],
)
def test_dates_are_read_the_ways_people_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "level"), [("副教授", "associate_senior"), ("教授", "senior"), ("一级教师", "intermediate"), ("x", "")]
)
def test_title_grades_from_titles(text, level):
    assert title_level_of(text) == level


def test_prefetched_records_build_facts_without_more_queries(tree):
    for _ in range(3):
        someone = PersonFactory(organization=tree.school)
        CertificateFactory(person=someone)
        ExperienceFactory(person=someone, kind=MANAGEMENT)
    persons = list(with_record(Person.objects.filter(organization=tree.school)))

    with CaptureQueriesContext(connection) as queries:
        for someone in persons:
            person_facts(someone, today=TODAY)

    assert len(queries) == 0


# --- the facts against the seed packs ---------------------------------------------------------------


def test_jiaozuo_head_with_a_county_cio_certificate_is_eligible(person):
    person.positions = [Position.SCHOOL_HEAD]
    CertificateFactory(person=person, kind="cio_training", level=CertificateLevel.COUNTY)

    result = evaluate(pack("jiaozuo-2022"), person_facts(person, today=TODAY), post="cio")

    assert result.verdict == Verdict.PASS
    assert result.finding("training_or_experience").detail == "持有CIO培训合格证(县级)"


def test_jiaozuo_deputy_needs_two_years_beside_the_informatization_certificate(tree):
    person = PersonFactory(organization=tree.school, positions=[Position.DEPUTY_HEAD])
    CertificateFactory(person=person, kind="informatization_training", level=CertificateLevel.CITY)
    ExperienceFactory(person=person, kind=MANAGEMENT, started_on=date(2024, 9, 1), ended_on=None)
    jiaozuo = pack("jiaozuo-2022")

    short = evaluate(jiaozuo, person_facts(person, today=TODAY, attestations=["leadership_authorisation"]))
    ExperienceFactory(person=person, kind=MANAGEMENT, started_on=date(2020, 9, 1), ended_on=date(2023, 9, 1))
    person = with_record(Person.objects.filter(pk=person.pk)).get()
    enough = evaluate(jiaozuo, person_facts(person, today=TODAY, attestations=["leadership_authorisation"]))

    assert short.verdict == Verdict.FAIL
    assert short.finding("training_or_experience").explanation.endswith("从事学校信息化管理工作1年,要求2年")
    assert enough.verdict == Verdict.PASS


def test_yichun_party_member_with_senior_title_and_ten_years_is_eligible(tree):
    person = PersonFactory(
        organization=tree.school,
        political_status=PoliticalStatus.PARTY_MEMBER,
        title_level=TitleLevel.SENIOR,
        joined_unit_on=date(2015, 9, 1),
        positions=[Position.VICE_PRESIDENT_IT],
    )

    result = evaluate(pack("yichun-2025"), person_facts(person, today=TODAY), post="cio")

    assert result.verdict == Verdict.PASS
    assert result.finding("three_years_at_university").status == FindingStatus.PASS


def test_yichun_refuses_a_non_member_until_the_form_corrects_the_status(tree):
    person = PersonFactory(
        organization=tree.school,
        political_status=PoliticalStatus.MASSES,
        admin_rank=AdminRank.DIVISION,
        joined_unit_on=date(2006, 7, 1),
        positions=[Position.FUNCTIONAL_DEPARTMENT_HEAD],
    )
    yichun = pack("yichun-2025")

    refused = evaluate(yichun, person_facts(person, today=TODAY), post="cio")
    corrected = evaluate(yichun, person_facts(person, today=TODAY, overrides={"political_status": "中共党员"}))

    assert refused.verdict == Verdict.FAIL
    assert [f.rule_id for f in refused.failures] == ["party_member"]
    assert refused.finding("party_member").explanation == "第五条(一):非中共党员"
    assert corrected.verdict == Verdict.PASS


def test_yichun_joining_date_on_the_form_decides_the_three_years(tree):
    person = PersonFactory(
        organization=tree.school,
        political_status=PoliticalStatus.PARTY_MEMBER,
        title_level=TitleLevel.SENIOR,
        joined_unit_on=date(2015, 9, 1),
    )
    facts = person_facts(person, today=TODAY, overrides={"joined_unit_on": "2023-09-01"})

    finding = evaluate(pack("yichun-2025"), facts).finding("three_years_at_university")

    assert finding.status == FindingStatus.FAIL
    assert finding.detail == "在本单位任职2年,要求3年"
