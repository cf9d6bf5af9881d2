"""The review pages: inbox, process detail with the decision form, my submissions; scope and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from educio.workflow import services
from educio.workflow.models import ProcessState, ReviewProcess, ReviewStep, StepState
from educio.workflow.tests.conftest import JIAOZUO

pytestmark = pytest.mark.django_db


def submit(people: Any, org: Any, title: str = "推荐李信息为首席信息官") -> ReviewProcess:
    process = services.process_start(
        actor=people.submitter, organization=org, chain=JIAOZUO, kind="nomination", title=title
    )
    return services.process_submit(actor=people.submitter, process=process)


def pending(process: ReviewProcess) -> ReviewStep:
    return ReviewStep.objects.get(process=process, state=StepState.PENDING)


def test_inbox_lists_the_steps_waiting_for_me(client, tree, people):
    process = submit(people, tree.school)
    client.force_login(people.school_head)
    page = client.get(reverse("workflow:inbox"))
    assert page.status_code == 200
    assert process.title in page.content.decode()
    client.force_login(people.county_reviewer)
    assert process.title not in client.get(reverse("workflow:inbox")).content.decode()  # not its turn yet


def test_inbox_filters_and_sorts(client, tree, people):
    first = submit(people, tree.school, "甲事项")
    submit(people, tree.school, "乙事项")
    ReviewStep.objects.filter(pk=pending(first).pk).update(due_at="2020-01-01T00:00:00+08:00")
    client.force_login(people.school_head)
    overdue_only = client.get(reverse("workflow:inbox"), {"overdue": "true"}).content.decode()
    assert "甲事项" in overdue_only
    assert "乙事项" not in overdue_only
    assert "已超期" in overdue_only
    by_title = client.get(reverse("workflow:inbox"), {"q": "乙", "sort": "-title"}).content.decode()
    assert "乙事项" in by_title
    assert "甲事项" not in by_title


def _inbox_queries(client: Any, user: Any) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("workflow:inbox")).status_code == 200
    return len(queries)


def test_inbox_costs_the_same_queries_for_1_and_50_items(client, tree, people):
    submit(people, tree.school, "事项0")
    one = _inbox_queries(client, people.school_head)
    for n in range(1, 50):
        submit(people, tree.school, f"事项{n}")
    fifty = _inbox_queries(client, people.school_head)
    assert one == fifty


def test_detail_is_visible_in_scope_and_404_outside(client, tree, people):
    process = submit(people, tree.school)
    url = reverse("workflow:detail", kwargs={"pk": process.pk})
    for user in (people.submitter, people.school_head, people.county_reviewer, people.city_reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 200, user
    client.force_login(people.far_reviewer)
    assert client.get(url).status_code == 404


def test_only_the_eligible_reviewer_sees_the_decision_form(client, tree, people):
    process = submit(people, tree.school)
    url = reverse("workflow:detail", kwargs={"pk": process.pk})
    client.force_login(people.school_head)
    assert 'id="decision-form"' in client.get(url).content.decode()
    client.force_login(people.city_reviewer)
    assert 'id="decision-form"' not in client.get(url).content.decode()


def test_reviewer_outside_the_chain_gets_404_on_the_decide_url(client, tree, people):
    process = submit(people, tree.school)
    url = reverse("workflow:decide", kwargs={"pk": pending(process).pk})
    data = {"decision": "approve", "opinion": "同意", "seal": "on"}
    for outsider in (people.far_reviewer, people.city_reviewer, people.county_reviewer, people.submitter):
        client.force_login(outsider)
        assert client.post(url, data).status_code == 404, outsider
    assert pending(process).index == 0


def test_city_reviewer_gets_404_on_the_county_step(client, tree, people):
    process = submit(people, tree.school)
    services.step_decide(actor=people.school_head, step=pending(process), decision="approve", opinion="同意", seal=True)
    client.force_login(people.city_reviewer)
    response = client.post(
        reverse("workflow:decide", kwargs={"pk": pending(process).pk}), {"decision": "approve", "opinion": "代审"}
    )
    assert response.status_code == 404
    assert pending(process).acting_organization == tree.county


def test_decide_through_the_page(client, tree, people):
    process = submit(people, tree.school)
    step = pending(process)
    client.force_login(people.school_head)
    response = client.post(
        reverse("workflow:decide", kwargs={"pk": step.pk}),
        {"decision": "approve", "opinion": "情况属实,同意推荐。", "seal": "on"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.state, step.decided_by, step.seal_recorded) == (StepState.APPROVED, people.school_head, True)
    page = client.get(response["Location"]).content.decode()
    assert "情况属实,同意推荐。" in page
    assert "已盖章" in page


def test_decision_without_required_opinion_is_shown_again_with_the_error(client, tree, people):
    process = submit(people, tree.school)
    client.force_login(people.school_head)
    response = client.post(
        reverse("workflow:decide", kwargs={"pk": pending(process).pk}), {"decision": "approve", "seal": "on"}
    )
    assert response.status_code == 400
    assert "本步骤须填写审核意见。" in response.content.decode()
    assert pending(process).index == 0


def test_a_stale_second_decision_gets_who_and_when(client, tree, people):
    from educio.accounts.tests.factories import user_with_role

    deputy = user_with_role("school_head", tree.school, username="deputy", full_name="副校长")
    process = submit(people, tree.school)
    step = pending(process)
    services.step_decide(actor=people.school_head, step=step, decision="approve", opinion="同意", seal=True)
    client.force_login(deputy)
    response = client.post(
        reverse("workflow:decide", kwargs={"pk": step.pk}), {"decision": "reject", "opinion": "不同意"}, follow=True
    )
    assert "该步骤已由王校长于" in response.content.decode()
    step.refresh_from_db()
    assert step.state == StepState.APPROVED


def test_submitter_resubmits_and_withdraws_through_the_page(client, tree, people):
    process = submit(people, tree.school)
    services.step_decide(actor=people.school_head, step=pending(process), decision="return", opinion="请补充材料")
    client.force_login(people.submitter)
    detail = client.get(reverse("workflow:detail", kwargs={"pk": process.pk})).content.decode()
    assert 'id="wf-resubmit"' in detail
    assert "请补充材料" in detail
    assert client.post(reverse("workflow:resubmit", kwargs={"pk": process.pk})).status_code == 302
    process.refresh_from_db()
    assert (process.state, process.round) == (ProcessState.IN_REVIEW, 2)
    detail = client.get(reverse("workflow:detail", kwargs={"pk": process.pk})).content.decode()
    assert 'id="round-1"' in detail
    assert 'id="round-2"' in detail
    client.post(reverse("workflow:withdraw", kwargs={"pk": process.pk}), {"reason": "不再推荐"})
    process.refresh_from_db()
    assert (process.state, process.withdraw_reason) == (ProcessState.WITHDRAWN, "不再推荐")


def test_someone_else_cannot_withdraw(client, tree, people):
    process = submit(people, tree.school)
    client.force_login(people.school_head)
    assert client.post(reverse("workflow:withdraw", kwargs={"pk": process.pk})).status_code == 403
    client.force_login(people.far_reviewer)
    assert client.post(reverse("workflow:withdraw", kwargs={"pk": process.pk})).status_code == 404
    process.refresh_from_db()
    assert process.state == ProcessState.IN_REVIEW


def test_draft_shows_the_planned_chain_and_can_be_submitted(client, tree, people):
    process = services.process_start(
        actor=people.submitter, organization=tree.school, chain=JIAOZUO, kind="nomination", title="草稿事项"
    )
    client.force_login(people.submitter)
    detail = client.get(reverse("workflow:detail", kwargs={"pk": process.pk})).content.decode()
    assert "甲市一区教育局" in detail  # the county that will review, resolved from the tree
    assert client.post(reverse("workflow:submit", kwargs={"pk": process.pk})).status_code == 302
    process.refresh_from_db()
    assert process.state == ProcessState.IN_REVIEW


def test_my_submissions_lists_mine_with_the_waiting_step(client, tree, people):
    submit(people, tree.school, "我的事项")
    client.force_login(people.submitter)
    page = client.get(reverse("workflow:mine")).content.decode()
    assert "我的事项" in page
    assert "所在单位意见" in page
    client.force_login(people.school_head)
    assert "我的事项" not in client.get(reverse("workflow:mine")).content.decode()


def test_detail_page_costs_the_same_queries_for_one_and_three_rounds(client, tree, people):
    process = submit(people, tree.school)
    url = reverse("workflow:detail", kwargs={"pk": process.pk})
    client.force_login(people.submitter)
    client.get(url)
    with CaptureQueriesContext(connection) as one_round:
        client.get(url)
    for _ in range(2):
        services.step_decide(actor=people.school_head, step=pending(process), decision="return", opinion="再改")
        process = services.process_resubmit(actor=people.submitter, process=process)
    with CaptureQueriesContext(connection) as three_rounds:
        client.get(url)
    assert len(one_round) == len(three_rounds)
