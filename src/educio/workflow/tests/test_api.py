"""The review API: my inbox and process detail, scoped like the pages, at a fixed query cost."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.testing import TestClient

from educio.workflow import services
from educio.workflow.api import router
from educio.workflow.models import ReviewProcess, ReviewStep, StepState
from educio.workflow.tests.conftest import JIAOZUO

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> TestClient:
    return TestClient(router)


def submit(people: Any, org: Any, title: str = "推荐") -> ReviewProcess:
    process = services.process_start(
        actor=people.submitter, organization=org, chain=JIAOZUO, kind="nomination", title=title
    )
    return services.process_submit(actor=people.submitter, process=process)


def test_inbox_lists_my_pending_steps(api, tree, people):
    process = submit(people, tree.school)
    body = api.get("/inbox", user=people.school_head).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["process_id"], item["step_name"], item["organization_name"]) == (
        process.pk,
        "所在单位意见",
        "一区第一小学",
    )
    assert item["overdue"] is False
    assert api.get("/inbox", user=people.county_reviewer).json()["count"] == 0


def fresh(user: Any) -> Any:
    """The account as a new request would load it (no roles cached on the object)."""
    return type(user).objects.get(pk=user.pk)


def _inbox_queries(api: TestClient, user: Any) -> int:
    user = fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/inbox", user=user).status_code == 200
    return len(queries)


def test_inbox_costs_the_same_queries_for_1_and_50_items(api, tree, people):
    submit(people, tree.school, "事项0")
    one = _inbox_queries(api, people.school_head)
    for n in range(1, 50):
        submit(people, tree.school, f"事项{n}")
    assert _inbox_queries(api, people.school_head) == one


def test_process_detail_has_every_round_and_is_scoped(api, tree, people):
    process = submit(people, tree.school)
    step = ReviewStep.objects.get(process=process, state=StepState.PENDING)
    services.step_decide(actor=people.school_head, step=step, decision="return", opinion="补充材料")
    services.process_resubmit(actor=people.submitter, process=process)

    response = api.get(f"/processes/{process.pk}", user=people.city_reviewer)
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "in_review"
    assert body["round"] == 2
    assert [(s["round"], s["index"], s["state"]) for s in body["steps"]] == [
        (1, 0, "returned"),
        (1, 1, "skipped"),
        (1, 2, "skipped"),
        (2, 0, "pending"),
        (2, 1, "waiting"),
        (2, 2, "waiting"),
    ]
    assert body["steps"][0]["decided_by_name"] == "王校长"
    assert body["steps"][0]["opinion"] == "补充材料"

    outside = api.get(f"/processes/{process.pk}", user=people.far_reviewer)
    assert outside.status_code == 404


def test_process_list_is_scoped(api, tree, people):
    submit(people, tree.school, "甲")
    assert api.get("/processes", user=people.county_reviewer).json()["count"] == 1
    assert api.get("/processes", user=people.far_reviewer).json()["count"] == 0
    assert api.get("/processes?mine=true", user=people.submitter).json()["count"] == 1
    assert api.get("/processes?mine=true", user=people.school_head).json()["count"] == 0


def test_process_list_costs_the_same_queries_for_1_and_50_items(api, tree, people):
    submit(people, tree.school, "事项0")
    with CaptureQueriesContext(connection) as one:
        api.get("/processes", user=fresh(people.city_reviewer))
    for n in range(1, 50):
        submit(people, tree.school, f"事项{n}")
    with CaptureQueriesContext(connection) as fifty:
        api.get("/processes", user=fresh(people.city_reviewer))
    assert len(one) == len(fifty)
