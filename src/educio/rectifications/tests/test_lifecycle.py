"""限期整改 as 焦作 第四条(二) says: a failing result -> rectification -> re-check; failed or overdue -> revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from educio.accounts.models import RoleAssignment
from educio.accounts.tests.factories import user_with_role
from educio.appointments.models import Appointment, AppointmentStatus
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.notifications.models import Notification
from educio.rectifications import services
from educio.rectifications.models import Consequence, OrderStatus, RecognitionKind, RectificationOrder
from educio.rectifications.tests.conftest import FINDINGS, Jiaozuo, decide_recheck, fail_school, report
from educio.rectifications.tests.factories import pdf, result_of
from educio.workflow.models import ProcessKind, ProcessState, ReviewStep, StepState


def refresh(order: RectificationOrder) -> RectificationOrder:
    return RectificationOrder.objects.get(pk=order.pk)


def unit_notices(jz: Jiaozuo, event: str, order: RectificationOrder) -> set[int]:
    key = f"rect:{order.pk}:{event}"
    return set(Notification.objects.filter(dedup_key=key).values_list("recipient_id", flat=True))


# --- opening -------------------------------------------------------------------------------------


def test_a_failing_result_opens_an_order_with_the_packs_rules(jz: Jiaozuo) -> None:
    order = fail_school(jz)

    assert order.status == OrderStatus.OPEN
    assert order.organization == jz.tree.school
    assert order.issuer == jz.tree.city
    assert order.article == "第四条(二)"
    assert order.consequence == Consequence.REVOKE_APPOINTMENT
    assert order.recheck_chain_id == "rectification_recheck"
    assert order.cycle_id == "school_biennial_assessment"
    assert order.pack_ref.startswith("jiaozuo-2022@")
    assert order.number == f"整改〔{timezone.localdate().year}〕第1号"
    # 焦作 sets no deadline in days: the bureau sets it.
    assert order.deadline is None
    assert unit_notices(jz, "opened", order) == {jz.head.pk, jz.cio.pk}


def test_the_annual_cio_evaluation_has_no_consequence_in_jiaozuo(jz: Jiaozuo) -> None:
    order = fail_school(jz, cycle_id="cio_annual_evaluation", person=jz.appointment.person)

    assert order.consequence == Consequence.NONE
    assert order.person == jz.appointment.person


def test_orders_are_numbered_per_issuer_and_year(jz: Jiaozuo) -> None:
    first = fail_school(jz)
    second = services.order_open_for_result(
        actor=jz.city_reviewer, subject=result_of(jz.tree.sibling_school, organiser=jz.tree.city), findings="问题"
    )
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"整改〔{year}〕第1号", f"整改〔{year}〕第2号")


def test_a_result_opens_one_order_only(jz: Jiaozuo) -> None:
    subject = result_of(jz.tree.school, organiser=jz.tree.city)
    services.order_open_for_result(actor=jz.city_reviewer, subject=subject, findings=FINDINGS)

    with pytest.raises(ValidationError, match="不能重复下达"):
        services.order_open_for_result(actor=jz.city_reviewer, subject=subject, findings=FINDINGS)
    assert RectificationOrder.objects.count() == 1


def test_a_school_cannot_order_itself_or_a_bureau_outside_its_scope(jz: Jiaozuo) -> None:
    with pytest.raises(PermissionDenied):
        services.order_open_for_result(actor=jz.head, subject=result_of(jz.tree.school), findings=FINDINGS)
    with pytest.raises(PermissionDenied):
        services.order_open(
            actor=jz.far_admin,
            organization=jz.tree.school,
            person=None,
            findings=FINDINGS,
            article="",
            deadline=timezone.localdate() + timedelta(days=30),
        )
    assert not RectificationOrder.objects.exists()


def test_a_manual_order_needs_findings_and_a_future_deadline(jz: Jiaozuo) -> None:
    base = {"actor": jz.county_admin, "organization": jz.tree.school, "person": None, "article": "第四条(二)"}
    with pytest.raises(ValidationError) as missing:
        services.order_open(**base, findings="  ", deadline=timezone.localdate() + timedelta(days=10))
    assert "findings" in missing.value.message_dict
    with pytest.raises(ValidationError) as past:
        services.order_open(**base, findings=FINDINGS, deadline=timezone.localdate() - timedelta(days=1))
    assert "deadline" in past.value.message_dict
    assert not RectificationOrder.objects.exists()


# --- the unit's report ---------------------------------------------------------------------------


def test_a_report_needs_evidence(jz: Jiaozuo) -> None:
    order = fail_school(jz)
    with pytest.raises(ValidationError, match="佐证材料"):
        services.order_submit_report(actor=jz.cio, order=order, report="已整改。")
    assert refresh(order).status == OrderStatus.OPEN


def test_evidence_must_really_be_a_pdf_or_an_image(jz: Jiaozuo) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = fail_school(jz)
    fake = SimpleUploadedFile("整改.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.order_attach(actor=jz.cio, order=order, upload=fake)
    assert not order.evidence.exists()


def test_the_report_goes_to_the_city_for_recheck(jz: Jiaozuo) -> None:
    order = report(jz, fail_school(jz))

    assert order.status == OrderStatus.SUBMITTED
    process = order.recheck_process
    assert process.kind == ProcessKind.RECTIFICATION
    assert process.chain_id == "rectification_recheck"
    assert process.state == ProcessState.IN_REVIEW
    step = ReviewStep.objects.get(process=process, state=StepState.PENDING)
    assert (step.acting_organization, step.role, step.article) == (jz.tree.city, "bureau_reviewer", "第四条(二)")
    assert process.subject == order


# --- the re-check --------------------------------------------------------------------------------


def test_a_passed_recheck_closes_the_order(jz: Jiaozuo, django_capture_on_commit_callbacks) -> None:
    order = report(jz, fail_school(jz))

    decide_recheck(order.recheck_process, jz.city_reviewer, "approve", django_capture_on_commit_callbacks)

    order = refresh(order)
    assert order.status == OrderStatus.PASSED
    assert order.closed_at is not None
    assert order.consequence_applied_at is None
    assert Appointment.objects.get(pk=jz.appointment.pk).status == AppointmentStatus.ACTIVE
    assert unit_notices(jz, "passed", order) == {jz.head.pk, jz.cio.pk}


def test_a_failed_recheck_revokes_the_cio_once_and_tells_the_unit(
    jz: Jiaozuo, django_capture_on_commit_callbacks
) -> None:
    order = report(jz, fail_school(jz))

    decide_recheck(
        order.recheck_process, jz.city_reviewer, "reject", django_capture_on_commit_callbacks, "未整改到位。"
    )

    order = refresh(order)
    revoked = Appointment.objects.get(pk=jz.appointment.pk)
    assert order.status == OrderStatus.FAILED
    assert order.consequence_applied_at is not None
    assert order.revoked_appointment == revoked
    assert revoked.status == AppointmentStatus.REVOKED
    assert revoked.revocation_article == "第四条(二)"
    assert order.number in revoked.revocation_doc_number
    assert revoked.ended_by == jz.city_reviewer
    assert unit_notices(jz, "failed", order) == {jz.head.pk, jz.cio.pk}
    assert "已取消刘志强" in Notification.objects.filter(dedup_key=f"rect:{order.pk}:failed").first().body

    # The unit nominates again and a new CIO is appointed; nothing more may follow from the old order.
    successor = make_appointment(jz.tree.school, person=make_person(jz.tree.school, "王新"))
    assert services.order_fail(actor=jz.city_reviewer, order=order) is not None
    call_command("check_rectifications", today=str(timezone.localdate() + timedelta(days=400)))
    call_command("check_rectifications", today=str(timezone.localdate() + timedelta(days=400)))

    assert Appointment.objects.get(pk=successor.pk).status == AppointmentStatus.ACTIVE
    assert Appointment.objects.filter(status=AppointmentStatus.REVOKED).count() == 1
    assert refresh(order).consequence_applied_at == order.consequence_applied_at
    assert Notification.objects.filter(dedup_key=f"rect:{order.pk}:failed").count() == 2


def test_a_returned_recheck_gives_the_order_back_and_the_resubmission_opens_round_two(
    jz: Jiaozuo, django_capture_on_commit_callbacks
) -> None:
    order = report(jz, fail_school(jz))
    decide_recheck(order.recheck_process, jz.city_reviewer, "return", django_capture_on_commit_callbacks, "补充材料。")

    order = refresh(order)
    assert order.status == OrderStatus.OPEN
    services.order_attach(actor=jz.cio, order=order, upload=pdf("补充.pdf"))
    order = services.order_submit_report(actor=jz.cio, order=order, report="已补充会议纪要。")

    assert order.status == OrderStatus.SUBMITTED
    assert order.recheck_process.round == 2
    assert order.report == "已补充会议纪要。"


def test_the_daily_check_follows_a_decision_whose_announcement_was_lost(jz: Jiaozuo) -> None:
    order = report(jz, fail_school(jz))
    step = ReviewStep.objects.get(process=order.recheck_process, state=StepState.PENDING)
    from educio.workflow.services import step_decide

    step_decide(actor=jz.city_reviewer, step=step, decision="reject", opinion="不合格。")  # on_commit never runs here
    assert refresh(order).status == OrderStatus.SUBMITTED

    call_command("check_rectifications")

    assert refresh(order).status == OrderStatus.FAILED
    assert Appointment.objects.get(pk=jz.appointment.pk).status == AppointmentStatus.REVOKED


# --- the deadline --------------------------------------------------------------------------------


def overdue_order(jz: Jiaozuo, *, days: int = 30, **kwargs) -> RectificationOrder:
    order = fail_school(jz, **kwargs)
    return services.order_set_deadline(
        actor=jz.city_admin, order=order, deadline=timezone.localdate() + timedelta(days=days)
    )


def test_an_overdue_order_revokes_the_cio_when_the_daily_check_runs_and_only_once(jz: Jiaozuo) -> None:
    order = overdue_order(jz, days=10)
    before = str(timezone.localdate() + timedelta(days=10))
    after = str(timezone.localdate() + timedelta(days=11))

    call_command("check_rectifications", today=before)
    assert refresh(order).status == OrderStatus.OPEN

    call_command("check_rectifications", today=after)
    order = refresh(order)
    revoked = Appointment.objects.get(pk=jz.appointment.pk)
    assert order.status == OrderStatus.OVERDUE
    assert revoked.status == AppointmentStatus.REVOKED
    assert revoked.revocation_doc_number == f"逾期未整改自动取消(整改通知单号 {order.number})"
    assert revoked.revocation_article == "第四条(二)"
    assert revoked.ended_on == timezone.localdate() + timedelta(days=11)
    assert unit_notices(jz, "overdue", order) == {jz.head.pk, jz.cio.pk}

    successor = make_appointment(jz.tree.school, person=make_person(jz.tree.school, "王新"))
    call_command("check_rectifications", today=after)

    assert Appointment.objects.get(pk=successor.pk).status == AppointmentStatus.ACTIVE
    assert refresh(order).consequence_applied_at == order.consequence_applied_at
    assert Notification.objects.filter(dedup_key=f"rect:{order.pk}:overdue").count() == 2


def test_an_order_under_recheck_is_not_overdue(jz: Jiaozuo) -> None:
    order = report(jz, overdue_order(jz, days=5))
    call_command("check_rectifications", today=str(timezone.localdate() + timedelta(days=30)))

    assert refresh(order).status == OrderStatus.SUBMITTED
    assert Appointment.objects.get(pk=jz.appointment.pk).status == AppointmentStatus.ACTIVE


def test_overdue_without_an_active_cio_records_that_nothing_was_to_revoke(jz: Jiaozuo) -> None:
    order = overdue_order(jz, days=1)
    Appointment.objects.filter(pk=jz.appointment.pk).update(
        status=AppointmentStatus.ENDED, ended_on=timezone.localdate(), end_reason="expired"
    )

    call_command("check_rectifications", today=str(timezone.localdate() + timedelta(days=2)))

    order = refresh(order)
    assert order.status == OrderStatus.OVERDUE
    assert order.revoked_appointment is None
    assert order.consequence_applied_at is not None
    assert "无任命可取消" in order.consequence_note


def test_a_revocation_waits_for_an_account_allowed_to_revoke_and_is_retried(jz: Jiaozuo) -> None:
    order = overdue_order(jz, days=1)
    RoleAssignment.objects.filter(organization=jz.tree.city).delete()
    later = str(timezone.localdate() + timedelta(days=2))

    call_command("check_rectifications", today=later)
    order = refresh(order)
    assert order.status == OrderStatus.OVERDUE
    assert order.consequence_pending
    assert Appointment.objects.get(pk=jz.appointment.pk).status == AppointmentStatus.ACTIVE

    user_with_role("bureau_reviewer", jz.tree.city, username="new_city_reviewer")
    call_command("check_rectifications", today=later)

    order = refresh(order)
    assert not order.consequence_pending
    assert order.revoked_appointment_id == jz.appointment.pk


def test_reminders_go_seven_days_and_one_day_before_the_deadline_once_each(jz: Jiaozuo) -> None:
    order = overdue_order(jz, days=20)
    day = timezone.localdate()

    call_command("check_rectifications", today=str(day + timedelta(days=12)))  # 8 days left: nothing yet
    call_command("check_rectifications", today=str(day + timedelta(days=14)))  # 6 days left
    call_command("check_rectifications", today=str(day + timedelta(days=15)))
    call_command("check_rectifications", today=str(day + timedelta(days=19)))  # 1 day left

    keys = sorted(
        Notification.objects.filter(recipient=jz.head, dedup_key__contains=":due").values_list("dedup_key", flat=True)
    )
    stamp = f"{order.deadline:%Y%m%d}"
    assert keys == [f"rect:{order.pk}:due1:{stamp}", f"rect:{order.pk}:due7:{stamp}"]


# --- other consequences and outcomes -------------------------------------------------------------


def test_an_accountability_consequence_records_accountability(jz: Jiaozuo) -> None:
    person = jz.appointment.person
    order = services.order_open(
        actor=jz.county_admin,
        organization=jz.tree.school,
        person=person,
        findings="网络安全事件未按规定报告。",
        article="第十二条",
        deadline=timezone.localdate() + timedelta(days=3),
        consequence=Consequence.ACCOUNTABILITY,
    )
    assert order.issuer == jz.tree.county

    call_command("check_rectifications", today=str(timezone.localdate() + timedelta(days=4)))

    order = refresh(order)
    record = order.accountability
    assert order.status == OrderStatus.OVERDUE
    assert record.kind == RecognitionKind.ACCOUNTABILITY
    assert (record.organization, record.person, record.issuer) == (jz.tree.school, person, jz.tree.county)
    assert record.source == order
    assert record.doc_number == order.number
    assert Appointment.objects.get(pk=jz.appointment.pk).status == AppointmentStatus.ACTIVE


def test_without_a_pack_chain_the_issuing_bureau_rechecks(tree) -> None:
    adopt(tree.far_city, "helan-2024")
    admin = user_with_role("bureau_admin", tree.far_county, username="hl_admin")
    cio = user_with_role("cio", tree.far_school, username="hl_cio")
    order = services.order_open(
        actor=admin,
        organization=tree.far_school,
        person=None,
        findings="未按要求开展集中培训。",
        article="",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    services.order_attach(actor=cio, order=order, upload=pdf())
    order = services.order_submit_report(actor=cio, order=order, report="已补训。")

    step = ReviewStep.objects.get(process=order.recheck_process, state=StepState.PENDING)
    assert order.recheck_chain_id == ""
    assert (step.acting_organization, step.role) == (tree.far_county, "bureau_reviewer")


def test_a_cancelled_order_ignores_a_later_recheck_decision(jz: Jiaozuo, django_capture_on_commit_callbacks) -> None:
    order = report(jz, fail_school(jz))
    services.order_close(actor=jz.city_admin, order=order, reason="申诉成立,考核结果更正为合格。")

    decide_recheck(order.recheck_process, jz.city_reviewer, "reject", django_capture_on_commit_callbacks)

    order = refresh(order)
    assert order.status == OrderStatus.CLOSED
    assert order.close_note == "申诉成立,考核结果更正为合格。"
    assert Appointment.objects.get(pk=jz.appointment.pk).status == AppointmentStatus.ACTIVE


def test_a_failing_assessment_subject_opens_its_order(jz: Jiaozuo) -> None:
    from educio.assessments.models import SubjectStatus
    from educio.assessments.tests.factories import SCHOOL_CYCLE, make_cycle, make_subject

    cycle = make_cycle(jz.tree.city, creator=jz.city_admin, cycle_id=SCHOOL_CYCLE, name="2026年学校信息化工作考核")
    subject = make_subject(cycle, jz.tree.school, status=SubjectStatus.PUBLISHED)

    order = services.order_open_for_result(actor=jz.city_admin, subject=subject, findings=FINDINGS)

    assert order.source == subject
    assert (order.issuer, order.cycle_id, order.cycle_name) == (jz.tree.city, SCHOOL_CYCLE, "2026年学校信息化工作考核")
    assert (order.consequence, order.article) == (Consequence.REVOKE_APPOINTMENT, "第四条(二)")
    assert order.pack_version_id == cycle.pack_version_id


def test_a_withdrawn_recheck_gives_the_order_back_and_the_next_report_starts_a_new_one(
    jz: Jiaozuo, django_capture_on_commit_callbacks
) -> None:
    from educio.workflow.services import process_withdraw

    order = report(jz, fail_school(jz))
    first = order.recheck_process
    with django_capture_on_commit_callbacks(execute=True):
        process_withdraw(actor=jz.cio, process=first, reason="材料不全,补充后再报。")

    order = refresh(order)
    assert order.status == OrderStatus.OPEN
    order = services.order_submit_report(actor=jz.cio, order=order, report="补充后重新报送。")

    assert order.recheck_process != first
    assert order.recheck_process.state == ProcessState.IN_REVIEW
    assert order.recheck_process.subject == order
