"""Organising, enrolling, recording and certifying: the rules, the scope, and what a refusal leaves behind."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments.tests.factories import adopt, make_person
from educio.people.models import Certificate, CertificateLevel, Position
from educio.people.selectors import person_facts
from educio.policies.eligibility import FindingStatus, evaluate
from educio.policies.selectors import effective_pack
from educio.training import services
from educio.training.models import Attendance, Enrollment, TrainingEvent, TrainingKind, TrainingResult
from educio.training.tests.factories import attended, make_enrollment, make_event

TODAY = timezone.localdate()


def event_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "2025年全县中小学首席信息官培训",
        "level": "county",
        "kind": TrainingKind.CIO,
        "centralised": True,
        "starts_on": TODAY - timedelta(days=10),
        "ends_on": TODAY - timedelta(days=8),
        "hours": "24",
        "mode": "offline",
        "place": "县教师发展中心",
        "description": "",
        "issues_certificate": False,
        "certificate_kind": "",
    }
    return {**fields, **overrides}


def messages_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- organising -----------------------------------------------------------------------------------


def test_a_county_bureau_organises_a_county_training(tree, county_admin):
    event = services.event_create(actor=county_admin, organiser=tree.county, **event_fields())

    assert event.organiser == tree.county
    assert event.hours == Decimal("24")
    assert event.created_by == county_admin


def test_a_school_cannot_claim_a_county_level_training(tree):
    head = user_with_role("school_head", tree.school)

    with pytest.raises(ValidationError) as exc:
        services.event_create(actor=head, organiser=tree.school, **event_fields(level="county"))

    assert "只能组织校级及以下的培训" in messages_of(exc)["level"][0]
    assert not TrainingEvent.objects.exists()


def test_dates_hours_and_place_are_all_reported_at_once(tree, county_admin):
    bad = event_fields(ends_on=TODAY - timedelta(days=20), hours="0", place="")

    with pytest.raises(ValidationError) as exc:
        services.event_create(actor=county_admin, organiser=tree.county, **bad)

    errors = messages_of(exc)
    assert errors["ends_on"] == ["结束日期不能早于开始日期。"]
    assert "学时应大于0" in errors["hours"][0]
    assert errors["place"] == ["线下培训请填写培训地点。"]


def test_an_online_training_needs_no_place(tree, county_admin):
    event = services.event_create(
        actor=county_admin, organiser=tree.county, **event_fields(mode="online", place="", centralised=False)
    )
    assert event.mode == "online"


def test_organising_outside_the_scope_is_refused(tree, county_admin):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=county_admin, organiser=tree.other_county, **event_fields())


def test_a_liaison_may_look_but_not_organise(tree):
    liaison = user_with_role("liaison", tree.county)
    with pytest.raises(PermissionDenied):
        services.event_create(actor=liaison, organiser=tree.county, **event_fields())


def test_the_certificate_kind_is_one_the_pack_or_the_platform_knows(tree, county_admin):
    adopt(tree.city, "jiaozuo-2022")

    with pytest.raises(ValidationError) as exc:
        services.event_create(
            actor=county_admin,
            organiser=tree.county,
            **event_fields(issues_certificate=True, certificate_kind="made_up_certificate"),
        )
    assert "CIO培训合格证" in messages_of(exc)["certificate_kind"][0]
    security = services.event_create(
        actor=county_admin,
        organiser=tree.county,
        **event_fields(issues_certificate=True, certificate_kind="security_training"),
    )
    assert security.certificate_kind == "security_training"

    with pytest.raises(ValidationError) as exc:
        services.event_create(actor=county_admin, organiser=tree.county, **event_fields(issues_certificate=True))
    assert messages_of(exc)["certificate_kind"] == ["颁发合格证的培训请选择证书类别。"]

    event = services.event_create(
        actor=county_admin,
        organiser=tree.county,
        **event_fields(issues_certificate=True, certificate_kind="cio_training"),
    )
    assert event.certificate_kind == "cio_training"


def test_a_certified_training_keeps_its_level_and_cannot_be_cancelled(tree, county_admin):
    event = make_event(tree.county, issues_certificate=True, certificate_kind="cio_training")
    attended(event, make_person(tree.school), TrainingResult.PASSED)
    services.certificates_issue(actor=county_admin, event=event)

    with pytest.raises(ValidationError, match="不能再修改培训级别"):
        services.event_update(actor=county_admin, event=event, level="school")
    renamed = services.event_update(actor=county_admin, event=event, title="更正后的培训名称")
    assert renamed.title == "更正后的培训名称"
    with pytest.raises(ValidationError, match="不能取消"):
        services.event_cancel(actor=county_admin, event=event, reason="误建")


def test_a_cancelled_training_takes_no_enrolment(tree, county_admin):
    event = make_event(tree.county)
    services.event_cancel(actor=county_admin, event=event, reason="因天气原因取消")

    with pytest.raises(ValidationError, match="已取消"):
        services.enrol(actor=county_admin, event=event, persons=[make_person(tree.school)])
    assert TrainingEvent.objects.get(pk=event.pk).cancel_reason == "因天气原因取消"


# --- enrolment ------------------------------------------------------------------------------------


def test_a_county_enrols_the_staff_of_its_schools(tree, county_admin):
    event = make_event(tree.county)
    persons = [make_person(tree.school, "甲"), make_person(tree.sibling_school, "乙")]

    enrolled = services.enrol(actor=county_admin, event=event, persons=persons)

    assert {e.person.name for e in enrolled} == {"甲", "乙"}
    assert all(e.attendance == Attendance.ENROLLED and e.enrolled_by == county_admin for e in enrolled)


def test_a_school_sends_its_own_staff_to_its_county_training_but_not_others(tree):
    event = make_event(tree.county)
    cio = user_with_role("cio", tree.school)
    own, neighbour = make_person(tree.school, "本校教师"), make_person(tree.sibling_school, "邻校教师")

    services.enrol(actor=cio, event=event, persons=[own])
    with pytest.raises(ValidationError, match="无权为一区第二中学的邻校教师报名"):
        services.enrol(actor=cio, event=event, persons=[neighbour])

    assert list(Enrollment.objects.values_list("person__name", flat=True)) == ["本校教师"]


def test_a_person_outside_the_organisers_subtree_is_refused_and_nothing_is_saved(tree, city_admin):
    event = make_event(tree.county)
    inside, outside = make_person(tree.school, "区内"), make_person(tree.other_school, "区外")

    with pytest.raises(ValidationError, match="不在“甲市一区教育局”的管辖范围内"):
        services.enrol(actor=city_admin, event=event, persons=[inside, outside])

    assert not Enrollment.objects.exists()


def test_enrolling_someone_twice_is_refused(tree, county_admin):
    event = make_event(tree.county)
    person = make_person(tree.school, "重复")
    services.enrol(actor=county_admin, event=event, persons=[person])

    with pytest.raises(ValidationError, match="已报名:重复"):
        services.enrol(actor=county_admin, event=event, persons=[person, make_person(tree.school, "新人")])
    assert Enrollment.objects.count() == 1


def test_an_enrolment_is_withdrawn_only_before_attendance(tree, county_admin):
    event = make_event(tree.county)
    waiting = make_enrollment(event, make_person(tree.school, "未登记"))
    done = attended(event, make_person(tree.school, "已参训"))

    services.enrollment_remove(actor=county_admin, enrollment=waiting)
    with pytest.raises(ValidationError, match="已登记考勤"):
        services.enrollment_remove(actor=county_admin, enrollment=done)
    assert list(Enrollment.objects.values_list("person__name", flat=True)) == ["已参训"]


# --- attendance and results -----------------------------------------------------------------------


def test_blank_hours_credit_the_whole_training(tree, county_admin):
    enrollment = make_enrollment(make_event(tree.county, hours="12"), make_person(tree.school))

    saved = services.enrollment_record(
        actor=county_admin, enrollment=enrollment, attendance=Attendance.ATTENDED, result=TrainingResult.PASSED
    )

    assert saved.hours_attended == Decimal("12")
    assert saved.result == TrainingResult.PASSED


def test_attendance_rules(tree, county_admin):
    future = make_enrollment(make_event(tree.county, starts_on=TODAY + timedelta(days=5)), make_person(tree.school))
    past = make_enrollment(make_event(tree.county, hours="8"), make_person(tree.school))

    with pytest.raises(ValidationError) as exc:
        services.enrollment_record(actor=county_admin, enrollment=future, attendance=Attendance.ATTENDED)
    assert messages_of(exc)["attendance"] == ["培训尚未开始,不能登记考勤。"]
    with pytest.raises(ValidationError) as exc:
        services.enrollment_record(
            actor=county_admin, enrollment=past, attendance=Attendance.ABSENT, result=TrainingResult.PASSED
        )
    assert messages_of(exc)["result"] == ["未参训的人员不能评定考核结果。"]
    with pytest.raises(ValidationError) as exc:
        services.enrollment_record(
            actor=county_admin, enrollment=past, attendance=Attendance.ATTENDED, hours_attended="9"
        )
    assert messages_of(exc)["hours_attended"] == ["获得学时应在0至8之间。"]
    assert Enrollment.objects.get(pk=past.pk).attendance == Attendance.ENROLLED


def test_only_the_organisers_side_records_attendance(tree):
    enrollment = make_enrollment(make_event(tree.county), make_person(tree.school))
    school_cio = user_with_role("cio", tree.school)

    with pytest.raises(PermissionDenied):
        services.enrollment_record(actor=school_cio, enrollment=enrollment, attendance=Attendance.ATTENDED)


# --- certificates ---------------------------------------------------------------------------------


def test_passed_enrolments_get_numbered_certificates_copied_from_the_training(tree, county_admin):
    event = make_event(tree.county, issues_certificate=True, certificate_kind="cio_training")
    first = attended(event, make_person(tree.school, "甲"), TrainingResult.PASSED)
    attended(event, make_person(tree.school, "乙"), TrainingResult.FAILED)
    make_enrollment(event, make_person(tree.school, "丙"))

    issued = services.certificates_issue(actor=county_admin, event=event)

    assert len(issued) == 1
    certificate = Enrollment.objects.get(pk=first.pk).certificate
    assert certificate is not None
    assert (certificate.kind, certificate.level, certificate.issued_on, certificate.issuer) == (
        "cio_training",
        CertificateLevel.COUNTY,
        event.ends_on,
        "甲市一区教育局",
    )
    assert certificate.number == f"{event.ends_on.year}-{event.pk}-001"
    with pytest.raises(ValidationError, match="没有待发证的合格人员"):
        services.certificates_issue(actor=county_admin, event=event)


def test_numbers_continue_and_a_given_number_is_kept(tree, county_admin):
    event = make_event(tree.county, issues_certificate=True, certificate_kind="cio_training")
    one = attended(event, make_person(tree.school, "甲"), TrainingResult.PASSED)
    services.certificates_issue(actor=county_admin, event=event)
    two = attended(event, make_person(tree.school, "乙"), TrainingResult.PASSED)
    three = attended(event, make_person(tree.school, "丙"), TrainingResult.PASSED)

    services.certificates_issue(actor=county_admin, event=event, enrollments=[two], numbers={two.pk: "纸质-0088"})
    services.certificates_issue(actor=county_admin, event=event)

    numbers = dict(Enrollment.objects.values_list("pk", "certificate__number"))
    prefix = f"{event.ends_on.year}-{event.pk}-"
    assert numbers == {one.pk: prefix + "001", two.pk: "纸质-0088", three.pk: prefix + "002"}
    four = attended(event, make_person(tree.school, "丁"), TrainingResult.PASSED)
    with pytest.raises(ValidationError, match="证书编号已被使用"):
        services.certificates_issue(actor=county_admin, event=event, enrollments=[four], numbers={four.pk: "纸质-0088"})


def test_no_certificate_before_the_training_ends_or_for_a_training_without_them(tree, county_admin):
    running = make_event(
        tree.county, starts_on=TODAY, ends_on=TODAY + timedelta(days=2), issues_certificate=True, certificate_kind="x"
    )
    attended(running, make_person(tree.school), TrainingResult.PASSED)
    plain = make_event(tree.county)
    attended(plain, make_person(tree.school), TrainingResult.PASSED)

    with pytest.raises(ValidationError, match="培训结束后才能发证"):
        services.certificates_issue(actor=county_admin, event=running)
    with pytest.raises(ValidationError, match="不颁发合格证"):
        services.certificates_issue(actor=county_admin, event=plain)
    assert not Certificate.objects.exists()


def test_a_certified_result_cannot_be_turned_into_a_failure(tree, county_admin):
    event = make_event(tree.county, issues_certificate=True, certificate_kind="cio_training")
    enrollment = attended(event, make_person(tree.school), TrainingResult.PASSED)
    services.certificates_issue(actor=county_admin, event=event)

    with pytest.raises(ValidationError, match="已获发合格证"):
        services.enrollment_record(
            actor=county_admin,
            enrollment=Enrollment.objects.get(pk=enrollment.pk),
            attendance=Attendance.ATTENDED,
            result=TrainingResult.FAILED,
        )


def test_a_county_cio_certificate_turns_jiaozuo_article_2_2_from_fail_to_pass(tree, county_admin):
    """焦作 第二条(二): CIO training certificate from a national, provincial, city or county training."""
    adopt(tree.city, "jiaozuo-2022")
    head = make_person(tree.school, "刘志强", birth_date=date(1978, 5, 1), positions=[Position.SCHOOL_HEAD])
    pack = effective_pack(tree.school)
    assert pack is not None

    def verdict() -> FindingStatus:
        result = evaluate(pack, person_facts(head), post="cio")
        return next(f for f in result.findings if f.rule_id == "training_or_experience").status

    assert verdict() == FindingStatus.FAIL

    event = services.event_create(
        actor=county_admin,
        organiser=tree.county,
        **event_fields(issues_certificate=True, certificate_kind="cio_training"),
    )
    (enrollment,) = services.enrol(actor=county_admin, event=event, persons=[head])
    services.enrollment_record(
        actor=county_admin, enrollment=enrollment, attendance=Attendance.ATTENDED, result=TrainingResult.PASSED
    )
    services.certificates_issue(actor=county_admin, event=event)

    assert verdict() == FindingStatus.PASS


def test_a_school_level_cio_certificate_does_not_satisfy_jiaozuo(tree):
    adopt(tree.city, "jiaozuo-2022")
    head_user = user_with_role("school_head", tree.school)
    person = make_person(tree.school, "王校长", positions=[Position.SCHOOL_HEAD])
    event = services.event_create(
        actor=head_user,
        organiser=tree.school,
        **event_fields(level="school", issues_certificate=True, certificate_kind="cio_training"),
    )
    attended(event, person, TrainingResult.PASSED)
    services.certificates_issue(actor=head_user, event=event)

    pack = effective_pack(tree.school)
    result = evaluate(pack, person_facts(person), post="cio")
    assert next(f for f in result.findings if f.rule_id == "training_or_experience").status == FindingStatus.FAIL
