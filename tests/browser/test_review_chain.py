"""The 焦作 CIO nomination goes through its review chain in the browser, round after round.

焦教文〔2022〕60号 推荐表: 所在单位意见(盖章) -> 县(市、区)教育行政部门审核(盖章) -> 市教育局审核(盖章).
A nomination of 解放区实验小学 is started from the effective 焦作 pack and submitted by its CIO;
the school head, the 解放区 reviewer and the city reviewer then decide it through the pages,
the city returns it, the CIO resubmits it, and round 2 starts at the school with round 1 kept.
A reviewer of another county (中站区) gets 404 on the process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from educio.accounts.models import User
from educio.accounts.roles import Role
from educio.accounts.tests.factories import user_with_role
from educio.orgs.models import Organization
from educio.workflow import services
from educio.workflow.models import ProcessKind, ProcessState, ReviewProcess, ReviewStep, StepState

SCHOOL = "jz.jiefang.s1"  # 解放区实验小学
COUNTY = "jz.jiefang"  # 解放区教育局
OTHER_COUNTY = "jz.zhongzhan"  # 中站区教育局
CITY = "jz"  # 焦作市教育局
TITLE = "推荐刘志强为解放区实验小学首席教育信息官"
STEP_NAMES = ["所在单位意见", "县(市、区)教育行政部门审核", "市教育局审核"]

SCHOOL_OPINION = "刘志强同志熟悉学校信息化工作,情况属实,同意推荐。"
COUNTY_OPINION = "经审核,推荐材料齐全,同意上报市教育局。"
RETURN_OPINION = "推荐表缺少CIO培训合格证复印件,请补充后重新报送。"


@dataclass
class Nomination:
    process: ReviewProcess
    submitter: User
    school_head: User
    county_reviewer: User
    city_reviewer: User
    far_reviewer: User


@pytest.fixture
def nomination(demo: Any) -> Nomination:
    """The nomination, started from the pack in force at the school and submitted by its CIO."""
    city = Organization.objects.get(depth=1, name=demo.unit(CITY).name)

    def unit(ref: str) -> Organization:
        return Organization.objects.get(path__startswith=city.path, name=demo.unit(ref).name)

    school, other_county = unit(SCHOOL), unit(OTHER_COUNTY)
    # 解放区 has a demo reviewer; the neighbouring county gets one, with the demo password.
    county_reviewer = User.objects.get(username="jz_jiefang_reviewer")
    far_reviewer = user_with_role(
        Role.BUREAU_REVIEWER,
        other_county,
        username="jz_zhongzhan_reviewer",
        full_name="中站区审核员",
        password=demo.password,
    )

    def account(role: str, ref: str) -> User:
        return User.objects.get(username=demo.account(role, ref).username)

    submitter = account(Role.CIO, SCHOOL)
    process = services.process_start_from_pack(
        actor=submitter,
        organization=school,
        chain_id="cio_nomination",
        kind=ProcessKind.NOMINATION,
        title=TITLE,
    )
    process = services.process_submit(actor=submitter, process=process)
    assert process.pack_ref == "jiaozuo-2022@1"
    return Nomination(
        process=process,
        submitter=submitter,
        school_head=account(Role.SCHOOL_HEAD, SCHOOL),
        county_reviewer=county_reviewer,
        city_reviewer=account(Role.BUREAU_REVIEWER, CITY),
        far_reviewer=far_reviewer,
    )


def switch_user(page: Page, login: Any, username: str) -> None:
    """Log out through the user menu, then log in as ``username`` through the login page."""
    if page.locator("#logout-button").count():
        page.get_by_label("用户菜单").click()
        with page.expect_navigation():
            page.click("#logout-button")
    login(page, username)


def open_from_inbox(page: Page, nav: Any, *, round_badge: str = "") -> Locator:
    """Follow 待办审核 in the menu, find the one item and open it; returns the inbox row."""
    nav(page, "待办审核")
    expect(page.locator(".page-title")).to_have_text("待办审核")
    rows = page.locator("#inbox-table tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("首席信息官推荐")
    expect(row).to_contain_text("解放区实验小学")
    if round_badge:
        expect(row.locator(".badge")).to_have_text(round_badge)
    return row


def decide(page: Page, decision: str, opinion: str = "", *, seal: bool = False) -> None:
    """Fill the decision form and submit it, accepting the confirmation the button asks for."""
    form = page.locator("#decision-form")
    form.get_by_label(decision, exact=True).check()
    form.locator("#id_opinion").fill(opinion)
    # Set either way: after a refused decision the form comes back with the box as it was ticked.
    form.locator("#id_seal").set_checked(seal)
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        form.locator("#wf-decide").click()
    assert asked == ["确定提交审核意见?提交后不能修改。"], asked


def round_steps(page: Page, number: int) -> Locator:
    return page.locator(f"#round-{number} .wf-step")


def expect_states(page: Page, number: int, states: list[str]) -> None:
    steps = round_steps(page, number)
    expect(steps).to_have_count(len(states))
    for i, state in enumerate(states):
        expect(steps.nth(i)).to_have_attribute("data-state", state)


def test_cio_nomination_goes_through_the_jiaozuo_chain_and_comes_back(
    page: Page, live_url: str, nomination: Nomination, login: Any, nav: Any, shot: Any
) -> None:
    n = nomination
    detail_url = f"{live_url}/workflow/{n.process.pk}/"

    # 1. The school head: 待办审核 lists the nomination; approve it with the opinion and the seal.
    login(page, n.school_head.username)
    row = open_from_inbox(page, nav)
    expect(row).to_contain_text("所在单位意见")
    expect(row).to_contain_text(n.submitter.full_name)
    shot(page, "review-chain-inbox-school-head")
    row.get_by_role("link", name=TITLE).click()
    assert page.url == detail_url
    expect(page.locator(".page-title")).to_contain_text("审核中")
    expect(page.locator("#process-summary")).to_contain_text("jiaozuo-2022@1")
    expect(page.locator("#decision")).to_contain_text("办理:所在单位意见")
    expect(page.locator(".wf-round")).to_have_count(1)
    expect(round_steps(page, 1).locator("h4")).to_have_text(STEP_NAMES)
    expect_states(page, 1, ["pending", "waiting", "waiting"])
    expect(round_steps(page, 1).nth(1)).to_contain_text("解放区教育局")
    expect(round_steps(page, 1).nth(2)).to_contain_text("焦作市教育局")
    shot(page, "review-chain-timeline-before")

    decide(page, "同意", SCHOOL_OPINION, seal=True)
    expect(page.locator(".alert-success")).to_contain_text("已提交审核意见。")
    expect_states(page, 1, ["approved", "pending", "waiting"])
    first = round_steps(page, 1).nth(0)
    expect(first).to_contain_text(n.school_head.full_name)
    expect(first.locator(".wf-opinion")).to_have_text(SCHOOL_OPINION)
    expect(first).to_contain_text("已盖章")
    expect(page.locator("#decision")).to_have_count(0)  # the county step is not the head's to decide
    shot(page, "review-chain-timeline-school-approved")

    # 2. The 解放区 reviewer approves with the county's opinion and seal.
    switch_user(page, login, n.county_reviewer.username)
    open_from_inbox(page, nav).get_by_role("link", name="办理").click()
    expect(page.locator("#decision")).to_contain_text("办理:县(市、区)教育行政部门审核")
    decide(page, "同意", COUNTY_OPINION, seal=True)
    expect(page.locator(".alert-success")).to_contain_text("已提交审核意见。")
    expect_states(page, 1, ["approved", "approved", "pending"])
    expect(round_steps(page, 1).nth(1).locator(".wf-opinion")).to_have_text(COUNTY_OPINION)

    # 3. The city reviewer: approving without an opinion is refused and changes nothing ...
    switch_user(page, login, n.city_reviewer.username)
    open_from_inbox(page, nav).get_by_role("link", name=TITLE).click()
    expect(page.locator("#decision")).to_contain_text("办理:市教育局审核")
    decide(page, "同意", "", seal=True)
    opinion_error = page.locator("#decision-form .invalid-feedback")
    expect(opinion_error).to_have_text("本步骤须填写审核意见。")
    expect(page.locator(".alert-success")).to_have_count(0)
    expect_states(page, 1, ["approved", "approved", "pending"])
    expect(page.locator(".page-title")).to_contain_text("审核中")
    expect(page.locator("#id_seal")).to_be_checked()  # what was entered is kept
    shot(page, "review-chain-city-missing-opinion")
    city_step = ReviewStep.objects.get(process=n.process, round=1, index=2)
    assert (city_step.state, city_step.decided_by, city_step.opinion) == (StepState.PENDING, None, "")
    assert ReviewProcess.objects.get(pk=n.process.pk).state == ProcessState.IN_REVIEW

    # ... then it returns the nomination for revision, with its reason.
    decide(page, "退回修改", RETURN_OPINION)
    expect(page.locator(".alert-success")).to_contain_text("已提交审核意见。")
    expect(page.locator(".page-title")).to_contain_text("退回修改")
    expect_states(page, 1, ["approved", "approved", "returned"])
    returned = round_steps(page, 1).nth(2)
    expect(returned.locator(".wf-opinion")).to_have_text(RETURN_OPINION)
    expect(returned).to_contain_text(n.city_reviewer.full_name)
    expect(returned).to_contain_text("未盖章")
    expect(page.locator("#decision")).to_have_count(0)

    # 4. The CIO finds it returned under 我的报送 and resubmits it.
    switch_user(page, login, n.submitter.username)
    nav(page, "待办审核")
    expect(page.locator("#inbox-table")).to_contain_text("暂无待办审核")
    page.click("#wf-mine-link")
    expect(page.locator(".page-title")).to_have_text("我的报送")
    mine = page.locator("#process-table tbody tr")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text(TITLE)
    expect(mine.first.locator(".badge")).to_have_text("退回修改")
    shot(page, "review-chain-my-submissions-returned")
    mine.first.get_by_role("link", name=TITLE).click()
    expect(round_steps(page, 1).nth(2).locator(".wf-opinion")).to_have_text(RETURN_OPINION)
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.click("#wf-resubmit")
    assert asked == ["确定已按审核意见修改并重新报送?审核将从第一步重新开始。"], asked
    expect(page.locator(".alert-success")).to_contain_text("已重新报送,审核从第一步重新开始。")
    expect(page.locator("#wf-resubmit")).to_have_count(0)
    expect(page.locator(".page-title")).to_contain_text("审核中")

    # Round 2 starts at the school, shown first; round 1 stays as it was, marked as history.
    rounds = page.locator(".wf-round")
    expect(rounds).to_have_count(2)
    expect(rounds.nth(0)).to_have_attribute("id", "round-2")
    expect(rounds.nth(1)).to_have_attribute("id", "round-1")
    expect(page.locator("#round-2 .card-title")).to_have_text("第2轮审核")
    expect(page.locator("#round-1 .card-title")).to_contain_text("历史记录")
    expect(page.locator("#round-2 .card-title")).not_to_contain_text("历史记录")
    expect_states(page, 2, ["pending", "waiting", "waiting"])
    expect(round_steps(page, 2).nth(0)).to_contain_text("解放区实验小学")
    expect_states(page, 1, ["approved", "approved", "returned"])
    for i, opinion in enumerate([SCHOOL_OPINION, COUNTY_OPINION, RETURN_OPINION]):
        expect(round_steps(page, 1).nth(i).locator(".wf-opinion")).to_have_text(opinion)
    expect(page.locator("#process-summary")).to_contain_text("第2轮")
    shot(page, "review-chain-timeline-round2")
    process = ReviewProcess.objects.get(pk=n.process.pk)
    assert (process.state, process.round, process.current_index) == (ProcessState.IN_REVIEW, 2, 0)

    # The school head has it back in 待办审核, marked as the second round.
    switch_user(page, login, n.school_head.username)
    open_from_inbox(page, nav, round_badge="第2轮")
    shot(page, "review-chain-inbox-round2")

    # 5. A reviewer of another county (中站区) cannot open the process, nor find it in the inbox.
    switch_user(page, login, n.far_reviewer.username)
    nav(page, "待办审核")
    expect(page.locator("#inbox-table")).not_to_contain_text(TITLE)
    response = page.goto(detail_url)
    assert response is not None
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(TITLE)
