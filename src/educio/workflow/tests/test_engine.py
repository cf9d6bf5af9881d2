"""The review-chain engine: each seed's chain end to end, return and resubmit, reject, withdraw, guards."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from educio.accounts.scope import forget_grants
from educio.accounts.tests.factories import user_with_role
from educio.orgs.models import Organization
from educio.orgs.tests.factories import SchoolFactory
from educio.workflow import services
from educio.workflow.models import ProcessKind, ProcessState, ReviewProcess, ReviewStep, StepState
from educio.workflow.signals import EventKind, workflow_event
from educio.workflow.spec import ChainSpec
from educio.workflow.tests.conftest import FIFTH, HELAN, JIAOZUO, YICHUN

pytestmark = pytest.mark.django_db


def start(actor: Any, org: Organization, chain: ChainSpec, title: str = "推荐李信息为首席信息官") -> ReviewProcess:
    return services.process_start(actor=actor, organization=org, chain=chain, kind=ProcessKind.NOMINATION, title=title)


def submitted(actor: Any, org: Organization, chain: ChainSpec) -> ReviewProcess:
    return services.process_submit(actor=actor, process=start(actor, org, chain))


def current_step(process: ReviewProcess) -> ReviewStep:
    return ReviewStep.objects.get(process=process, state=StepState.PENDING)


def approve(actor: Any, process: ReviewProcess, opinion: str = "同意推荐。", seal: bool = True) -> ReviewStep:
    return services.step_decide(actor=actor, step=current_step(process), decision="approve", opinion=opinion, seal=seal)


def test_jiaozuo_school_county_city_chain_approves_with_opinions_and_seals(tree, people):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    first = current_step(process)
    assert (first.acting_organization, first.role, first.seal_required) == (tree.school, "school_head", True)

    approve(people.school_head, process, "情况属实,同意推荐。")
    approve(people.county_reviewer, process, "经审核,符合任职条件。")
    approve(people.city_reviewer, process, "同意。")

    process.refresh_from_db()
    assert process.state == ProcessState.APPROVED
    assert process.closed_at is not None
    steps = list(process.steps.order_by("index"))
    assert [(s.acting_organization, s.state, s.seal_recorded) for s in steps] == [
        (tree.school, StepState.APPROVED, True),
        (tree.county, StepState.APPROVED, True),
        (tree.city, StepState.APPROVED, True),
    ]
    assert [s.decided_by for s in steps] == [people.school_head, people.county_reviewer, people.city_reviewer]
    assert steps[1].opinion == "经审核,符合任职条件。"
    assert steps[2].due_at is not None  # the city step has a 10-day deadline from when it became pending
    assert (steps[2].due_at - steps[2].activated_at).days == 10


def test_helan_school_nominates_and_county_bureau_appoints(tree, people):
    process = submitted(people.submitter, tree.school, HELAN)
    approve(people.school_head, process)
    services.step_decide(
        actor=people.county_admin, step=current_step(process), decision="approve", opinion="同意聘任,另行发文。"
    )
    process.refresh_from_db()
    assert process.state == ProcessState.APPROVED
    assert [s.acting_organization for s in process.steps.order_by("index")] == [tree.school, tree.county]


def test_yichun_president_office_meeting_party_committee(university):
    process = submitted(university.office, university.university, YICHUN)
    nominate = current_step(process)
    assert nominate.opinion_required is False
    services.step_decide(actor=university.president, step=nominate, decision="approve")  # no opinion needed
    meeting = current_step(process)
    assert (meeting.body, meeting.acting_organization) == ("校长办公会", university.university)
    services.step_decide(
        actor=university.president, step=meeting, decision="approve", opinion="2025年第12次校长办公会审议通过。"
    )
    committee = current_step(process)
    assert committee.body == "党委常委会"
    services.step_decide(
        actor=university.party_secretary, step=committee, decision="approve", opinion="党委常委会批准聘任。"
    )
    process.refresh_from_db()
    assert process.state == ProcessState.APPROVED
    assert list(process.steps.values_list("body", flat=True).order_by("index")) == ["", "校长办公会", "党委常委会"]


def test_a_department_of_the_university_is_reviewed_by_the_university_bodies(university):
    process = submitted(university.office, university.department, YICHUN)
    assert {s.acting_organization for s in process.steps.all()} == {university.university}


def test_made_up_fifth_chain_runs_end_to_end_without_code(region):
    process = submitted(region.cio, region.school, FIFTH)
    acting = [(s.acting_organization, s.role, s.body) for s in process.steps.order_by("index")]
    assert acting == [
        (region.school, "cio", ""),
        (region.district, "bureau_reviewer", ""),
        (region.city, "bureau_admin", ""),
        (region.region, "bureau_reviewer", "厅务会"),
    ]
    services.step_decide(actor=region.cio, step=current_step(process), decision="approve")
    services.step_decide(actor=region.district_reviewer, step=current_step(process), decision="approve", opinion="可")
    services.step_decide(actor=region.city_admin, step=current_step(process), decision="approve", opinion="可")
    last = current_step(process)
    with pytest.raises(ValidationError) as seal_missing:
        services.step_decide(actor=region.region_reviewer, step=last, decision="approve", opinion="同意立项")
    assert "盖章" in str(seal_missing.value)
    services.step_decide(actor=region.region_reviewer, step=last, decision="approve", opinion="同意立项", seal=True)
    process.refresh_from_db()
    assert process.state == ProcessState.APPROVED


def test_return_for_revision_and_resubmit_keeps_round_one(tree, people):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    approve(people.school_head, process)
    services.step_decide(
        actor=people.county_reviewer, step=current_step(process), decision="return", opinion="工作事迹过于简略,请补充。"
    )
    process.refresh_from_db()
    assert process.state == ProcessState.RETURNED
    assert not ReviewStep.objects.filter(process=process, state=StepState.PENDING).exists()

    process = services.process_resubmit(actor=people.submitter, process=process)
    assert (process.state, process.round, process.current_index) == (ProcessState.IN_REVIEW, 2, 0)
    round_one = list(process.steps.filter(round=1).order_by("index").values_list("state", "opinion"))
    assert round_one == [
        (StepState.APPROVED, "同意推荐。"),
        (StepState.RETURNED, "工作事迹过于简略,请补充。"),
        (StepState.SKIPPED, ""),
    ]
    assert current_step(process).round == 2
    assert current_step(process).index == 0

    for reviewer in (people.school_head, people.county_reviewer, people.city_reviewer):
        approve(reviewer, process)
    process.refresh_from_db()
    assert process.state == ProcessState.APPROVED
    assert process.steps.count() == 6


def test_reject_closes_the_process_and_skips_the_rest(tree, people):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    approve(people.school_head, process)
    services.step_decide(
        actor=people.county_reviewer, step=current_step(process), decision="reject", opinion="不符合任职条件。"
    )
    process.refresh_from_db()
    assert process.state == ProcessState.REJECTED
    assert process.closed_at is not None
    assert list(process.steps.order_by("index").values_list("state", flat=True)) == [
        StepState.APPROVED,
        StepState.REJECTED,
        StepState.SKIPPED,
    ]
    with pytest.raises(ValidationError):
        services.process_resubmit(actor=people.submitter, process=process)


def test_second_decision_on_a_decided_step_is_refused_in_chinese(tree, people):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    step = current_step(process)
    other_head = _second_holder(people, tree)
    services.step_decide(actor=people.school_head, step=step, decision="approve", opinion="同意。", seal=True)
    with pytest.raises(ValidationError) as refused:
        services.step_decide(actor=other_head, step=step, decision="reject", opinion="不同意。")
    message = refused.value.messages[0]
    assert message.startswith("该步骤已由王校长于")
    assert "处理" in message
    step.refresh_from_db()
    assert (step.state, step.decided_by, step.opinion) == (StepState.APPROVED, people.school_head, "同意。")
    assert current_step(process).index == 1


def _second_holder(people: Any, tree: Any) -> Any:
    from educio.accounts.tests.factories import user_with_role

    return user_with_role("school_head", tree.school, username="deputy_head", full_name="副校长")


def test_reviewer_outside_the_chain_is_refused_by_the_service(tree, people):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    with pytest.raises(PermissionDenied):
        services.step_decide(actor=people.far_reviewer, step=current_step(process), decision="approve", seal=True)
    with pytest.raises(PermissionDenied):
        services.step_decide(actor=people.submitter, step=current_step(process), decision="approve", seal=True)
    assert current_step(process).index == 0


def test_city_reviewer_cannot_decide_the_county_step(tree, people):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    approve(people.school_head, process)
    county_step = current_step(process)
    with pytest.raises(PermissionDenied):
        services.step_decide(
            actor=people.city_reviewer, step=county_step, decision="approve", opinion="代审", seal=True
        )
    county_step.refresh_from_db()
    assert county_step.state == StepState.PENDING


def test_a_school_directly_under_the_city_has_no_county_step_and_is_told_which_step(tree, people):
    city_school = SchoolFactory(parent=tree.city, name="市直属实验中学")
    with pytest.raises(ValidationError) as missing:
        services.process_start(
            actor=people.city_reviewer, organization=city_school, chain=JIAOZUO, kind="nomination", title="推荐"
        )
    message = missing.value.messages[0]
    assert "第2步" in message
    assert "县(市、区)教育行政部门审核意见" in message
    assert "市直属实验中学" in message
    assert "县级教育行政部门" in message
    assert not ReviewProcess.objects.exists()


def test_a_step_marked_skip_if_missing_is_left_out_for_a_city_direct_school(tree, people):
    """焦作's notice goes to 市直各学校 too: they are reviewed by the school and then the city bureau."""
    steps = list(JIAOZUO.steps)
    steps[1] = steps[1].model_copy(update={"skip_if_missing": True})
    chain = JIAOZUO.model_copy(update={"steps": tuple(steps)})
    city_school = SchoolFactory(parent=tree.city, name="市直属实验中学")
    head = user_with_role("school_head", city_school, username="city_school_head")
    draft = services.process_start(actor=head, organization=city_school, chain=chain, kind="nomination", title="推荐")
    process = services.process_submit(actor=head, process=draft)
    assert [(s.index, s.step_id, s.acting_organization.name) for s in process.steps.order_by("index")] == [
        (0, steps[0].id, "市直属实验中学"),
        (1, steps[2].id, tree.city.name),
    ]
    first = process.steps.get(index=0)
    services.step_decide(actor=head, step=first, decision="approve", opinion="同意推荐", seal=True)
    second = process.steps.get(index=1)
    services.step_decide(actor=people.city_reviewer, step=second, decision="approve", opinion="同意", seal=True)
    process.refresh_from_db()
    assert process.state == ProcessState.APPROVED
    # A school under a county still goes through the county step with the same chain.
    county_process = services.process_submit(
        actor=people.submitter,
        process=services.process_start(
            actor=people.submitter, organization=tree.school, chain=chain, kind="nomination", title="推荐"
        ),
    )
    assert county_process.steps.count() == 3


def test_missing_level_is_also_checked_at_submission(tree, people):
    process = start(people.submitter, tree.school, JIAOZUO)
    school = Organization.objects.get(pk=tree.school.pk)
    Organization.objects.move(school, Organization.objects.get(pk=tree.city.pk), pos="last-child")
    forget_grants(people.submitter)  # the role's path changed with the move; a new request reloads it
    with pytest.raises(ValidationError, match="第2步"):
        services.process_submit(actor=people.submitter, process=process)
    process.refresh_from_db()
    assert process.state == ProcessState.DRAFT
    assert not process.steps.exists()


def test_opinion_is_required_where_the_step_says_so_and_for_every_return(tree, people, university):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    with pytest.raises(ValidationError) as no_opinion:
        services.step_decide(actor=people.school_head, step=current_step(process), decision="approve", seal=True)
    assert no_opinion.value.message_dict == {"opinion": ["本步骤须填写审核意见。"]}
    uni_process = submitted(university.office, university.university, YICHUN)
    with pytest.raises(ValidationError, match="须写明理由"):
        services.step_decide(actor=university.president, step=current_step(uni_process), decision="return")
    with pytest.raises(ValidationError):
        services.step_decide(actor=university.president, step=current_step(uni_process), decision="maybe")


def test_seal_is_recorded_only_where_required(tree, people, university):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    with pytest.raises(ValidationError) as no_seal:
        services.step_decide(actor=people.school_head, step=current_step(process), decision="approve", opinion="同意")
    assert "seal" in no_seal.value.message_dict
    uni_process = submitted(university.office, university.university, YICHUN)
    step = services.step_decide(
        actor=university.president, step=current_step(uni_process), decision="approve", seal=True
    )
    assert step.seal_recorded is False


def test_withdraw_before_any_decision_and_not_after(tree, people):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    withdrawn = services.process_withdraw(actor=people.submitter, process=process, reason="材料有误")
    assert withdrawn.state == ProcessState.WITHDRAWN
    assert withdrawn.withdraw_reason == "材料有误"
    assert set(withdrawn.steps.values_list("state", flat=True)) == {StepState.SKIPPED}

    second = submitted(people.submitter, tree.school, JIAOZUO)
    with pytest.raises(PermissionDenied):
        services.process_withdraw(actor=people.school_head, process=second)
    approve(people.school_head, second)
    with pytest.raises(ValidationError, match="不能撤回"):
        services.process_withdraw(actor=people.submitter, process=second)


def test_only_the_starter_submits_and_only_once(tree, people):
    process = start(people.submitter, tree.school, JIAOZUO)
    with pytest.raises(PermissionDenied):
        services.process_submit(actor=people.county_reviewer, process=process)
    services.process_submit(actor=people.submitter, process=process)
    with pytest.raises(ValidationError, match="已报送"):
        services.process_submit(actor=people.submitter, process=process)


def test_nobody_starts_a_review_for_a_unit_outside_their_scope(tree, people):
    with pytest.raises(PermissionDenied):
        start(people.far_reviewer, tree.school, JIAOZUO)


def test_running_process_keeps_its_chain_when_the_pack_changes(tree, people):
    process = submitted(people.submitter, tree.school, JIAOZUO)
    assert process.chain == JIAOZUO
    assert process.chain_snapshot["steps"][2]["actor"]["level"] == "city_bureau"


def test_events_are_sent_after_commit(tree, people, django_capture_on_commit_callbacks):
    received: list[Any] = []

    def receiver(sender: Any, event: Any, **kwargs: Any) -> None:
        received.append(event.kind)

    workflow_event.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            process = submitted(people.submitter, tree.school, HELAN)
        assert received == [EventKind.SUBMITTED, EventKind.STEP_ACTIVATED]
        with django_capture_on_commit_callbacks(execute=True):
            services.step_decide(
                actor=people.school_head, step=current_step(process), decision="return", opinion="补充材料"
            )
        assert received[2:] == [EventKind.STEP_DECIDED, EventKind.RETURNED]
    finally:
        workflow_event.disconnect(receiver)


def test_every_transition_is_in_the_audit_log_with_the_actor(tree, people):
    from educio.audit.models import ChangeLogEntry as LogEntry

    process = submitted(people.submitter, tree.school, JIAOZUO)
    step = approve(people.school_head, process)
    entries = LogEntry.objects.get_for_object(step)
    assert entries.filter(actor=people.school_head).exists()
    assert LogEntry.objects.get_for_object(process).filter(actor=people.submitter).exists()


def test_overdue_pending_steps_are_flagged(tree, people):
    from datetime import timedelta

    from educio.workflow import selectors

    process = submitted(people.submitter, tree.school, JIAOZUO)
    approve(people.school_head, process)
    approve(people.county_reviewer, process)
    city_step = current_step(process)  # 10 days to decide
    assert city_step.due_at is not None
    before = city_step.due_at - timedelta(hours=1)
    after = city_step.due_at + timedelta(hours=1)

    assert not selectors.overdue_step_list(now=before).exists()
    assert list(selectors.overdue_step_list(now=after)) == [city_step]
    assert [s.overdue for s in selectors.inbox(user=people.city_reviewer, now=after)] == [True]
    assert [s.overdue for s in selectors.inbox(user=people.city_reviewer, now=before)] == [False]
    assert city_step.is_overdue_at(after)
    assert not city_step.is_overdue_at(before)

    approve(people.city_reviewer, process)
    assert not selectors.overdue_step_list(now=after).exists()  # decided steps are never overdue


def test_a_step_without_deadline_is_never_overdue(tree, people):
    from datetime import timedelta

    from django.utils import timezone

    from educio.workflow import selectors

    submitted(people.submitter, tree.school, JIAOZUO)
    far_future = timezone.now() + timedelta(days=3650)
    assert [s.overdue for s in selectors.inbox(user=people.school_head, now=far_future)] == [False]


def test_the_database_refuses_a_decision_without_who_and_when(tree, people):
    from django.db import IntegrityError, transaction

    process = submitted(people.submitter, tree.school, JIAOZUO)
    step = current_step(process)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewStep.objects.filter(pk=step.pk).update(state=StepState.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewStep.objects.filter(pk=step.pk).update(decided_by=people.school_head)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewStep.objects.filter(process=process, index=1).update(state=StepState.PENDING)  # two pending steps
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewStep.objects.create(
            process=process,
            round=1,
            index=0,
            step_id="dup",
            name="重复",
            acting_organization=tree.school,
            level="self",
            role="school_head",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewProcess.objects.filter(pk=process.pk).update(state=ProcessState.APPROVED)  # closed without closed_at


def test_reviews_of_a_subject_are_found_from_the_subject(tree, people):
    from educio.workflow import selectors

    subject = people.submitter  # any saved row will do until the subject models exist
    process = services.process_start(
        actor=people.submitter,
        organization=tree.school,
        chain=JIAOZUO,
        kind=ProcessKind.NOMINATION,
        title="推荐",
        subject=subject,
    )
    assert process.subject == subject
    assert list(selectors.subject_process_list(user=people.county_reviewer, subject=subject)) == [process]
    assert not selectors.subject_process_list(user=people.far_reviewer, subject=subject).exists()


def test_a_chain_naming_a_role_that_may_not_review_is_refused(tree, people):
    from educio.workflow.spec import ActingLevel, StepActor, StepSpec

    bad = ChainSpec(
        id="bad",
        name="错误的流程",
        steps=(
            StepSpec(id="audit", name="审计审核", actor=StepActor(level=ActingLevel.SELF, role="audit_admin")),
            StepSpec(id="ghost", name="虚构角色", actor=StepActor(level=ActingLevel.SELF, role="mayor")),
        ),
    )
    with pytest.raises(ValidationError) as refused:
        start(people.submitter, tree.school, bad)
    assert refused.value.messages == [
        "第1步“审计审核”指定的角色“审计管理员”没有审核权限。",
        "第2步“虚构角色”指定的审核角色“mayor”不存在。",
    ]
