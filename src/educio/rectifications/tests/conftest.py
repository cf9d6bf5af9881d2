"""A 焦作 city (pack adopted there) whose school has an active CIO, and the people who act on its rectification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from educio.accounts.tests.factories import user_with_role
from educio.appointments.models import Appointment
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.rectifications import services
from educio.rectifications.models import RectificationOrder
from educio.rectifications.tests.factories import pdf, result_of
from educio.testing.tree import Tree
from educio.workflow.models import ReviewStep, StepState
from educio.workflow.services import step_decide


@dataclass
class Jiaozuo:
    tree: Tree
    head: Any  # the school's head: reports the rectification
    cio: Any  # the school's CIO account (also reports)
    city_reviewer: Any  # 市教育局复查整改情况 (rectification_recheck)
    city_admin: Any  # opens orders for the city's schools
    county_admin: Any
    far_admin: Any  # another city: sees none of it
    appointment: Appointment  # the school's active CIO


@pytest.fixture
def jz(tree: Tree) -> Jiaozuo:
    adopt(tree.city, "jiaozuo-2022")
    cio_person = make_person(tree.school, "刘志强")
    return Jiaozuo(
        tree=tree,
        head=user_with_role("school_head", tree.school, username="jz_head", full_name="张校长"),
        cio=user_with_role("cio", tree.school, username="jz_cio", full_name="刘志强"),
        city_reviewer=user_with_role("bureau_reviewer", tree.city, username="jz_city", full_name="市复查员"),
        city_admin=user_with_role("bureau_admin", tree.city, username="jz_city_admin", full_name="市管理员"),
        county_admin=user_with_role("bureau_admin", tree.county, username="jz_county_admin", full_name="区管理员"),
        far_admin=user_with_role("bureau_admin", tree.far_city, username="far_admin", full_name="外市管理员"),
        appointment=make_appointment(tree.school, person=cio_person, doc_number="焦教文〔2022〕60号"),
    )


def decide_recheck(process: Any, actor: Any, decision: str, capture: Any, opinion: str = "复查意见。") -> None:
    """The pending re-check step decided by ``actor``; the receivers run as after a real commit."""
    step = ReviewStep.objects.get(process=process, state=StepState.PENDING)
    with capture(execute=True):
        step_decide(actor=actor, step=step, decision=decision, opinion=opinion, seal=step.seal_required)


FINDINGS = "未建立信息化工作领导小组;教师信息技术应用能力培训未开展。"


def fail_school(jz: Jiaozuo, **kwargs) -> RectificationOrder:
    """The city bureau publishes a failing 学校信息化工作考核 result for the school."""
    subject = result_of(jz.tree.school, organiser=jz.tree.city, **kwargs)
    return services.order_open_for_result(actor=jz.city_reviewer, subject=subject, findings=FINDINGS)


def report(jz: Jiaozuo, order: RectificationOrder, actor=None) -> RectificationOrder:
    actor = actor or jz.cio
    services.order_attach(actor=actor, order=order, upload=pdf())
    return services.order_submit_report(actor=actor, order=order, report="已成立领导小组,完成全员培训。")
