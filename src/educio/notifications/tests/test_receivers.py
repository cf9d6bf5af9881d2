"""Review events become notifications: the step's own reviewers, and the submitter told of the outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from educio.accounts.tests.factories import user_with_role
from educio.notifications.models import Notification, NotificationKind
from educio.notifications.receivers import on_workflow_event
from educio.workflow import services
from educio.workflow.models import ProcessKind, ReviewProcess, ReviewStep, StepState
from educio.workflow.signals import EventKind, WorkflowEvent
from educio.workflow.spec import ActingLevel, ChainSpec, StepActor, StepSpec

pytestmark = pytest.mark.django_db

# 焦作: the school's opinion, then the county bureau's review, then the city bureau's.
CHAIN = ChainSpec(
    id="cio_nomination",
    name="首席信息官推荐审核",
    steps=(
        StepSpec(id="school", name="所在单位意见", actor=StepActor(level=ActingLevel.SELF, role="school_head")),
        StepSpec(
            id="county",
            name="县级教育行政部门审核",
            actor=StepActor(level=ActingLevel.COUNTY_BUREAU, role="bureau_reviewer"),
        ),
        StepSpec(
            id="city", name="市教育局审核", actor=StepActor(level=ActingLevel.CITY_BUREAU, role="bureau_reviewer")
        ),
    ),
)


@dataclass
class People:
    submitter: Any
    head: Any
    county_reviewer: Any
    city_reviewer: Any


@pytest.fixture
def people(tree: Any) -> People:
    return People(
        submitter=user_with_role("cio", tree.school, username="cio", email="cio@school.example.cn"),
        head=user_with_role("school_head", tree.school, username="head", email="head@school.example.cn"),
        county_reviewer=user_with_role("bureau_reviewer", tree.county, username="county_rev"),
        city_reviewer=user_with_role("bureau_reviewer", tree.city, username="city_rev"),
    )


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def submit(people: People, org: Any, capture: Any) -> ReviewProcess:
    process = services.process_start(
        actor=people.submitter, organization=org, chain=CHAIN, kind=ProcessKind.NOMINATION, title="推荐李信息"
    )
    with capture(execute=True):
        return services.process_submit(actor=people.submitter, process=process)


def decide(actor: Any, process: ReviewProcess, decision: str, capture: Any, opinion: str = "同意。") -> ReviewStep:
    step = ReviewStep.objects.get(process=process, state=StepState.PENDING)
    with capture(execute=True):
        return services.step_decide(actor=actor, step=step, decision=decision, opinion=opinion)


def test_an_activated_step_notifies_exactly_its_reviewers(tree, people, django_capture_on_commit_callbacks):
    user_with_role("school_head", tree.sibling_school, username="sibling_head")  # another school's head
    user_with_role("school_head", tree.school, username="retired_head", is_active=False)
    user_with_role("bureau_reviewer", tree.other_county, username="other_county_rev")

    process = submit(people, tree.school, django_capture_on_commit_callbacks)

    assert recipients(NotificationKind.STEP_PENDING) == {"head"}
    note = Notification.objects.get(recipient=people.head)
    assert note.title == "待审核:推荐李信息"
    assert note.url == reverse("workflow:detail", args=[process.pk])
    assert note.organization == tree.school
    assert "所在单位意见" in note.body

    decide(people.head, process, "approve", django_capture_on_commit_callbacks)
    assert recipients(NotificationKind.STEP_PENDING) == {"head", "county_rev"}  # not the other county's reviewer


def test_the_step_notification_is_mailed_once_to_reviewers_with_an_address(
    tree, people, django_capture_on_commit_callbacks
):
    submit(people, tree.school, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["head@school.example.cn"]]
    assert mail.outbox[0].subject == "[EduCIO] 待审核:推荐李信息"
    assert "http://127.0.0.1:8000/workflow/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=people.head).emailed_at is not None


def test_a_return_tells_the_submitter_with_the_opinion(tree, people, django_capture_on_commit_callbacks):
    process = submit(people, tree.school, django_capture_on_commit_callbacks)
    decide(people.head, process, "approve", django_capture_on_commit_callbacks)
    decide(
        people.county_reviewer, process, "return", django_capture_on_commit_callbacks, opinion="请补充获奖证书扫描件"
    )

    note = Notification.objects.get(kind=NotificationKind.RETURNED)
    assert note.recipient == people.submitter
    assert note.title == "退回修改:推荐李信息"
    assert "请补充获奖证书扫描件" in note.body
    assert "甲市一区教育局" in note.body
    assert mail.outbox[-1].to == ["cio@school.example.cn"]


def test_final_approval_and_rejection_tell_the_submitter(tree, people, django_capture_on_commit_callbacks):
    approved = submit(people, tree.school, django_capture_on_commit_callbacks)
    for reviewer in (people.head, people.county_reviewer, people.city_reviewer):
        decide(reviewer, approved, "approve", django_capture_on_commit_callbacks)
    rejected = submit(people, tree.school, django_capture_on_commit_callbacks)
    decide(people.head, rejected, "reject", django_capture_on_commit_callbacks, opinion="人选不符合条件")

    assert Notification.objects.get(kind=NotificationKind.APPROVED).recipient == people.submitter
    refusal = Notification.objects.get(kind=NotificationKind.REJECTED)
    assert refusal.recipient == people.submitter
    assert "人选不符合条件" in refusal.body


def test_an_event_delivered_twice_notifies_once(tree, people, django_capture_on_commit_callbacks):
    process = submit(people, tree.school, django_capture_on_commit_callbacks)
    step = ReviewStep.objects.get(process=process, state=StepState.PENDING)
    event = WorkflowEvent(EventKind.STEP_ACTIVATED, process.pk, step.pk, people.submitter.pk)
    with django_capture_on_commit_callbacks(execute=True):
        on_workflow_event(ReviewProcess, event)
        on_workflow_event(ReviewProcess, event)
    assert Notification.objects.filter(kind=NotificationKind.STEP_PENDING).count() == 1
    assert len(mail.outbox) == 1


def test_nothing_is_sent_for_a_decision_that_rolls_back(tree, people, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        process = services.process_start(
            actor=people.submitter, organization=tree.school, chain=CHAIN, kind=ProcessKind.NOMINATION, title="撤销的"
        )
        services.process_submit(actor=people.submitter, process=process)
        transaction.set_rollback(True)
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # the worker command closes the connection, as a real worker would
def test_the_mail_waits_for_the_task_worker_not_the_reviewers_request(
    settings, tree, people, django_capture_on_commit_callbacks
):
    """With the production task backend the request only queues the mail; ``db_worker`` sends it."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    submit(people, tree.school, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=people.head).exists()
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)

    assert [m.to for m in mail.outbox] == [["head@school.example.cn"]]
    assert Notification.objects.get(recipient=people.head).emailed_at is not None
