"""``manage.py send_reminders``: deadlines (7 and 1 day), terms (90 and 30 days), units with no CIO; each once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from educio.accounts.tests.factories import user_with_role
from educio.notifications import services
from educio.notifications.models import Notification, NotificationKind
from educio.notifications.reminders import DEADLINE_STAGES, send_reminders, stage
from educio.notifications.tests.helpers import adopt_jiaozuo, appointment, nomination, window
from educio.orgs.tests.factories import SchoolFactory
from educio.workflow.models import ProcessState

pytestmark = pytest.mark.django_db

TODAY = date(2022, 10, 3)


@dataclass
class Staff:
    city_admin: Any
    county_admin: Any
    county_reviewer: Any
    other_county_admin: Any
    head: Any
    cio: Any
    sibling_head: Any
    other_head: Any
    far_head: Any


@pytest.fixture
def staff(tree: Any, city_admin: Any) -> Staff:
    """焦作's pack in force in the first city; heads and CIOs at its schools, admins at its bureaus."""
    adopt_jiaozuo(city_admin, tree.city)
    return Staff(
        city_admin=city_admin,
        county_admin=user_with_role("bureau_admin", tree.county, username="county_admin", email="county@example.cn"),
        county_reviewer=user_with_role("bureau_reviewer", tree.county, username="county_rev"),
        other_county_admin=user_with_role("bureau_admin", tree.other_county, username="other_admin"),
        head=user_with_role("school_head", tree.school, username="head", email="head@example.cn"),
        cio=user_with_role("cio", tree.school, username="cio", email="cio@example.cn"),
        sibling_head=user_with_role("school_head", tree.sibling_school, username="sibling_head"),
        other_head=user_with_role("school_head", tree.other_school, username="other_head"),
        far_head=user_with_role("school_head", tree.far_school, username="far_head"),  # no pack there
    )


def run(day: date, capture: Any) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", today=day.isoformat(), stdout=out)
    return out.getvalue()


def sent(kind: str) -> set[tuple[str, str]]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", "dedup_key"))


def keys(kind: str) -> set[str]:
    return {key for _user, key in sent(kind)}


def test_days_left_pick_the_reminder_due():
    assert [stage(d, DEADLINE_STAGES) for d in (-1, 0, 1, 2, 7, 8)] == [None, 1, 1, 7, 7, None]


# --- nomination deadlines ----------------------------------------------------------------------


def test_deadline_reminders_go_7_days_and_1_day_before_to_units_that_have_not_submitted(
    tree, staff, django_capture_on_commit_callbacks
):
    batch = window(tree.county, staff.county_admin, opens_on=TODAY - timedelta(days=20), deadline=TODAY + timedelta(7))
    nomination(tree.sibling_school, staff.sibling_head, state=ProcessState.IN_REVIEW, submitted_on=TODAY - timedelta(3))

    run(TODAY, django_capture_on_commit_callbacks)
    seven = {("head", f"deadline7:{batch.pk}:{tree.school.pk}"), ("cio", f"deadline7:{batch.pk}:{tree.school.pk}")}
    assert sent(NotificationKind.DEADLINE) == seven  # not the sibling school (submitted), not other counties

    for day in range(1, 6):  # 6 .. 2 days left: the 7-day reminder is already out
        run(TODAY + timedelta(day), django_capture_on_commit_callbacks)
    assert sent(NotificationKind.DEADLINE) == seven

    run(TODAY + timedelta(6), django_capture_on_commit_callbacks)  # 1 day left
    run(TODAY + timedelta(7), django_capture_on_commit_callbacks)  # the deadline itself
    one = {("head", f"deadline1:{batch.pk}:{tree.school.pk}"), ("cio", f"deadline1:{batch.pk}:{tree.school.pk}")}
    assert sent(NotificationKind.DEADLINE) == seven | one
    note = Notification.objects.get(recipient=staff.head, dedup_key__startswith="deadline1")
    assert note.title == "推荐还有1天截止:2022年首席信息官推荐"
    assert note.url == reverse("appointments:nomination_start") + f"?org={tree.school.pk}"


def test_a_missed_day_still_sends_the_reminder_due_and_only_that_one(tree, staff, django_capture_on_commit_callbacks):
    batch = window(tree.county, staff.county_admin, opens_on=TODAY - timedelta(days=20), deadline=TODAY + timedelta(5))
    schools = (tree.school.pk, tree.sibling_school.pk)
    run(TODAY, django_capture_on_commit_callbacks)  # first run with 5 days left: the 7-day reminder
    assert keys(NotificationKind.DEADLINE) == {f"deadline7:{batch.pk}:{pk}" for pk in schools}
    Notification.objects.all().delete()
    run(TODAY + timedelta(5), django_capture_on_commit_callbacks)  # first run on the deadline day: the 1-day one only
    assert keys(NotificationKind.DEADLINE) == {f"deadline1:{batch.pk}:{pk}" for pk in schools}


def test_units_already_done_or_not_concerned_get_no_deadline_reminder(tree, staff, django_capture_on_commit_callbacks):
    opens = TODAY - timedelta(days=20)
    window(tree.city, staff.city_admin, opens_on=opens, deadline=TODAY + timedelta(1))
    appointment(tree.school, staff.city_admin, ends_on=TODAY + timedelta(days=900))  # post already filled
    nomination(tree.sibling_school, staff.sibling_head, state=ProcessState.DRAFT, submitted_on=None)  # not submitted
    nomination(tree.other_school, staff.other_head, state=ProcessState.IN_REVIEW, submitted_on=opens - timedelta(30))

    run(TODAY, django_capture_on_commit_callbacks)

    # A draft is not a submission; a submission from before the window opened does not count for it.
    assert {user for user, _key in sent(NotificationKind.DEADLINE)} == {"sibling_head", "other_head"}


def test_windows_not_yet_due_or_past_send_nothing(tree, staff, django_capture_on_commit_callbacks):
    window(tree.county, staff.county_admin, opens_on=TODAY - timedelta(20), deadline=TODAY + timedelta(8))
    window(tree.county, staff.county_admin, opens_on=TODAY - timedelta(20), deadline=TODAY - timedelta(1))
    window(tree.county, staff.county_admin, opens_on=TODAY + timedelta(1), deadline=TODAY + timedelta(3))
    run(TODAY, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind=NotificationKind.DEADLINE).exists()


# --- terms ending ------------------------------------------------------------------------------


def test_term_reminders_90_and_30_days_before_to_the_unit_and_its_bureau(
    tree, staff, django_capture_on_commit_callbacks
):
    ends = TODAY + timedelta(days=90)
    term = appointment(tree.school, staff.county_admin, ends_on=ends)
    appointment(tree.sibling_school, staff.county_admin, ends_on=TODAY + timedelta(days=91))  # not yet

    run(TODAY, django_capture_on_commit_callbacks)
    told = {"head", "cio", "county_admin", "county_rev"}  # not the city admin: the unit's own bureau only
    assert sent(NotificationKind.TERM_ENDING) == {(u, f"term90:{term.pk}") for u in told}
    note = Notification.objects.get(recipient=staff.head, kind=NotificationKind.TERM_ENDING)
    assert "张首席" in note.body
    assert "将于2023年1月1日届满(还有90天)" in note.body
    assert note.url == reverse("appointments:appointment_detail", args=[term.pk])

    def of_term() -> set[tuple[str, str]]:
        return {(user, key) for user, key in sent(NotificationKind.TERM_ENDING) if key.endswith(f":{term.pk}")}

    run(ends - timedelta(days=60), django_capture_on_commit_callbacks)
    assert of_term() == {(u, f"term90:{term.pk}") for u in told}
    run(ends - timedelta(days=30), django_capture_on_commit_callbacks)
    run(ends - timedelta(days=29), django_capture_on_commit_callbacks)
    assert of_term() == {(u, f"term{n}:{term.pk}") for u in told for n in (90, 30)}


def test_ended_and_open_ended_appointments_get_no_term_reminder(tree, staff, django_capture_on_commit_callbacks):
    appointment(tree.school, staff.county_admin, ends_on=None)
    ended = appointment(tree.sibling_school, staff.county_admin, ends_on=TODAY + timedelta(days=10))
    ended.status, ended.ended_on, ended.end_reason = "ended", TODAY, "replaced"
    ended.save()
    run(TODAY, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind=NotificationKind.TERM_ENDING).exists()


# --- units with no CIO -------------------------------------------------------------------------


def test_units_without_a_cio_are_reminded_monthly_and_their_bureau_gets_a_count(
    tree, staff, django_capture_on_commit_callbacks
):
    appointment(tree.sibling_school, staff.county_admin, ends_on=None)

    run(TODAY, django_capture_on_commit_callbacks)
    month = "2022-10"
    assert sent(NotificationKind.NO_CIO) == {
        ("head", f"no_cio:{tree.school.pk}:{month}"),
        ("other_head", f"no_cio:{tree.other_school.pk}:{month}"),
        ("county_admin", f"no_cio_summary:{tree.county.pk}:{month}"),
        ("other_admin", f"no_cio_summary:{tree.other_county.pk}:{month}"),
    }  # not the sibling school (it has one), not the far school (its unit has no pack defining the post)
    summary = Notification.objects.get(recipient=staff.county_admin, kind=NotificationKind.NO_CIO)
    assert summary.title == "辖区内有1个单位尚未聘任首席信息官"
    assert tree.school.name in summary.body
    assert summary.url == reverse("dashboard:coverage_gaps") + f"?org={tree.county.pk}"

    run(TODAY + timedelta(days=20), django_capture_on_commit_callbacks)  # later the same month: nothing new
    assert len(sent(NotificationKind.NO_CIO)) == 4
    run(date(2022, 11, 1), django_capture_on_commit_callbacks)
    assert len(sent(NotificationKind.NO_CIO)) == 8


# --- once, e-mail, output ----------------------------------------------------------------------


def test_running_twice_sends_everything_once(tree, staff, django_capture_on_commit_callbacks):
    window(tree.county, staff.county_admin, opens_on=TODAY - timedelta(20), deadline=TODAY + timedelta(1))
    appointment(tree.sibling_school, staff.county_admin, ends_on=TODAY + timedelta(days=30))

    first = run(TODAY, django_capture_on_commit_callbacks)
    rows, mails = Notification.objects.count(), len(mail.outbox)
    assert rows > 0
    assert mails == Notification.objects.exclude(recipient__email="").count() > 0

    second = run(TODAY, django_capture_on_commit_callbacks)
    assert (Notification.objects.count(), len(mail.outbox)) == (rows, mails)
    assert "共 0 条" in second
    assert f"共 {rows} 条" in first
    assert "推荐截止提醒" in first


def test_reminders_are_mailed_once_per_notification_and_marked(tree, staff, django_capture_on_commit_callbacks):
    run(TODAY, django_capture_on_commit_callbacks)
    # The no-CIO reminders: the school head and the county admin have an address, the others none.
    assert sorted(m.to[0] for m in mail.outbox) == ["county@example.cn", "head@example.cn"]
    summary = Notification.objects.get(recipient=staff.county_admin)
    assert summary.emailed_at is not None
    assert f"[EduCIO] {summary.title}" in [m.subject for m in mail.outbox]
    assert Notification.objects.get(recipient=staff.other_head).emailed_at is None


def test_a_failing_mail_server_is_logged_and_the_notifications_stay(
    tree, staff, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(services, "send_mail", refuse)
    run(TODAY, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind=NotificationKind.NO_CIO).count() == 5  # 3 heads, 2 county admins
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert "e-mail to account" in caplog.text


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", today="2022-13-40")


def test_a_run_costs_the_same_queries_for_a_few_units_and_for_many(tree, staff, django_capture_on_commit_callbacks):
    """Set-based: the queries depend on the number of chunks, not of units (a city may have 20,000 schools)."""
    window(tree.county, staff.county_admin, opens_on=TODAY - timedelta(20), deadline=TODAY + timedelta(1))

    def add_schools(n: int, tag: str) -> None:
        for i in range(n):
            school = SchoolFactory(parent=tree.county, name=f"{tag}学校{i}")
            user_with_role("school_head", school, email=f"{tag}{i}@example.cn")
            user_with_role("cio", school)
            if i % 2:
                appointment(school, staff.county_admin, ends_on=TODAY + timedelta(days=30))

    def measure() -> int:
        Notification.objects.all().delete()
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            send_reminders(today=TODAY)
        assert len(mail.outbox) > 0
        return len(queries)

    add_schools(2, "少")
    few = measure()
    add_schools(40, "多")
    many = measure()
    assert Notification.objects.filter(kind=NotificationKind.TERM_ENDING).count() == 21 * 4  # head, cio, 2 at county
    assert many == few


def test_the_mail_task_run_again_mails_nobody_twice(tree, staff, django_capture_on_commit_callbacks):
    run(TODAY, django_capture_on_commit_callbacks)
    before = len(mail.outbox)
    assert before > 0
    assert services.notifications_email(list(Notification.objects.values_list("pk", flat=True))) == 0
    assert len(mail.outbox) == before
