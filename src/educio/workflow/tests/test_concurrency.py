"""Two reviewers deciding the same step at the same moment: exactly one decision is recorded.

Runs on SQLite (writers serialised by BEGIN IMMEDIATE) and on PostgreSQL
(row lock with SELECT ... FOR UPDATE). Each thread has its own connection.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from educio.accounts.tests.factories import user_with_role
from educio.workflow import services
from educio.workflow.models import ProcessState, ReviewProcess, ReviewStep, StepState
from educio.workflow.tests.conftest import JIAOZUO


def _race(step: ReviewStep, contenders: list[tuple[Any, str]]) -> list[Any]:
    """Run one decision per contender in its own thread, released together; return each outcome."""
    barrier = threading.Barrier(len(contenders))
    outcomes: list[Any] = [None] * len(contenders)

    def decide(slot: int, actor: Any, decision: str) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[slot] = services.step_decide(
                actor=actor, step=step, decision=decision, opinion=f"{actor.full_name}的意见", seal=True
            )
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[slot] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(slot, actor, decision))
        for slot, (actor, decision) in enumerate(contenders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_decisions_exactly_one_is_recorded(tree, people, monkeypatch):
    deputy = user_with_role("school_head", tree.school, username="deputy", full_name="副校长")
    process = services.process_start(
        actor=people.submitter, organization=tree.school, chain=JIAOZUO, kind="nomination", title="并发测试"
    )
    process = services.process_submit(actor=people.submitter, process=process)
    step = ReviewStep.objects.get(process=process, state=StepState.PENDING)

    # Hold each decision open a moment after its checks, so the two transactions really overlap:
    # without the lock both would pass the "still pending?" check and both would write.
    original_check = services._check_decision

    def slow_check(*args: Any, **kwargs: Any) -> None:
        original_check(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(services, "_check_decision", slow_check)

    outcomes = _race(step, [(people.school_head, "approve"), (deputy, "reject")])

    winners = [o for o in outcomes if isinstance(o, ReviewStep)]
    losers = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    winner = winners[0]
    assert losers[0].messages[0].startswith(f"该步骤已由{winner.decided_by}于")

    step.refresh_from_db()
    assert step.state == winner.state
    assert step.decided_by_id == winner.decided_by_id
    assert step.opinion == f"{winner.decided_by.full_name}的意见"
    process = ReviewProcess.objects.get(pk=process.pk)
    if winner.state == StepState.APPROVED:
        assert process.state == ProcessState.IN_REVIEW
        assert ReviewStep.objects.get(process=process, state=StepState.PENDING).index == 1
    else:
        assert process.state == ProcessState.REJECTED
    assert ReviewStep.objects.filter(process=process, decided_at__isnull=False).count() == 1
