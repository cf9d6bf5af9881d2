"""The CIO nomination journeys of issue 4, walked in the browser with the demo data of each seed.

- 焦作 (焦教文〔2022〕60号): the CIO of 解放区实验小学 fills the 推荐表 for himself, a deputy head
  who needs the 学校班子研究授权材料 (第一条); the school, 解放区教育局 (which returns it once) and
  焦作市教育局 review it; the city issues the appointment, which shows on the coverage dashboard,
  in the 汇总表 and in the 推荐表 .docx.
- 宜春学院 (2025 方案): a candidate who is not a party member is refused under 第五条(一); the
  president nominates 黄国平, the 校长办公会 and the 党委常委会 approve, the term is three years.
- 贺兰 (2024 方案): the head 杨志刚 is nominated and appointed (a term under three years refused),
  then replaced mid-term through 任期内变更报备, which ends his appointment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import docx
import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Dialog, Locator, Page, expect

from educio.accounts.roles import Role
from educio.documents.docx import placeholder_png

SUBMIT_CONFIRM = "确定报送?报送后进入审核流程,审核期间不能修改。"
DECIDE_CONFIRM = "确定提交审核意见?提交后不能修改。"
ISSUE_CONFIRM = "确定发文聘任?任期自任期开始日起计算。"

JZ_SCHOOL = "jz.jiefang.s1"  # 解放区实验小学
JZ_COUNTY = "jz.jiefang"  # 解放区教育局
JZ_WORK_RECORD = (
    "2008年起任学校信息技术教师,2020年起主持学校信息中心工作,牵头建成校园网络和智慧教室,"
    "组织全校教师信息技术应用能力提升工程2.0校本研修,2023年起任分管信息化工作的副校长。"
)
JZ_ADDED = "2024年牵头完成学校数据安全等级保护测评整改。"
JZ_SCHOOL_OPINION = "刘志强同志分管学校信息化工作,经学校班子研究,同意推荐。"
JZ_RETURN_OPINION = "工作事迹未写明近两年网络安全工作情况,请补充后重新报送。"
JZ_COUNTY_OPINION = "经审核,推荐材料齐全,符合任职条件,同意上报市教育局。"
JZ_CITY_OPINION = "同意聘任刘志强同志为解放区实验小学首席教育信息官。"
JZ_DOC_NUMBER = "焦教文〔2026〕18号"
HL_CHANGE_REASON = "杨志刚同志调任县教育体育局工作。"
HL_WORK_HISTORY = "2011年起在贺兰县第一中学任教,2020年起任副校长,分管信息化工作。"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """What the filler has on disk: an ID photo and scanned PDFs."""
    folder = tmp_path / "scans"
    folder.mkdir()
    made = {
        "photo": ("照片.png", placeholder_png()),
        "certificate": ("教育信息化业务培训合格证.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        "authorisation": ("学校班子会议纪要.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    }
    paths = {}
    for key, (name, content) in made.items():
        paths[key] = folder / name
        paths[key].write_bytes(content)
    return paths


@dataclass
class Desk:
    """One browser tab, used in turn by each person of the journey."""

    page: Page
    login: Any
    nav: Any
    shot: Any

    def sign_in(self, username: str) -> None:
        """Log out through the user menu (if someone is logged in), then log in as ``username``."""
        if self.page.locator("#logout-button").count():
            self.page.get_by_label("用户菜单").click()
            with self.page.expect_navigation():
                self.page.click("#logout-button")
        self.login(self.page, username)

    def confirmed_click(self, target: Locator, message: str) -> None:
        """Click a button that asks for a confirmation, accept it, and wait for the next page."""
        asked: list[str] = []

        def accept(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept()

        self.page.once("dialog", accept)
        with self.page.expect_navigation():
            target.click()
        assert asked == [message], asked

    def nominations(self) -> Locator:
        self.nav(self.page, "首席信息官推荐")
        expect(self.page.locator(".page-title")).to_have_text("首席信息官推荐")
        return self.page.locator("#nomination-table tbody tr")

    def open_nomination(self, name: str) -> None:
        self.nominations().get_by_role("link", name=name, exact=True).click()
        expect(self.page.locator(".page-title")).to_contain_text(name)

    def start_nomination(self, name: str, *, screenshot: str = "") -> None:
        """新建推荐 from the list: the unit is the user's own, the person is picked by name."""
        self.nominations()
        self.page.click("#nomination-new")
        expect(self.page.locator(".page-title")).to_have_text("新建推荐")
        pick(self.page.get_by_label("被推荐人"), name)
        if screenshot:
            self.shot(self.page, screenshot)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="创建推荐表").click()
        expect(self.page.locator(".alert-success")).to_contain_text("已创建推荐表草稿")

    def decide(self, step: str, decision: str, opinion: str, *, seal: bool = False) -> None:
        """From the nomination page: 办理:<step>, then the decision with its opinion (and the seal)."""
        go = self.page.locator("#go-decide")
        if go.count():
            expect(go).to_have_text(f"办理:{step}")
            go.click()
        expect(self.page.locator("#decision")).to_contain_text(f"办理:{step}")
        form = self.page.locator("#decision-form")
        form.get_by_label(decision, exact=True).check()
        # 审核意见, or 审议结论 where a body (校长办公会, 党委常委会) decides.
        form.locator("#id_opinion").fill(opinion)
        if seal:
            form.locator("#id_seal").check()
        self.confirmed_click(form.get_by_role("button", name="提交审核意见"), DECIDE_CONFIRM)
        expect(self.page.locator(".alert-success")).to_contain_text("已提交审核意见。")

    def back_to_nomination(self) -> None:
        """From the review page to the 推荐表 it reviews."""
        self.page.locator("#process-subject a").click()
        expect(self.page.locator("#form-values")).to_be_visible()


def pick(select: Locator, name: str) -> None:
    """Choose the person whose option reads "<name>(<unit> <position>)"."""
    value = select.locator("option", has_text=name).get_attribute("value")
    assert value, f"{name} is not offered"
    select.select_option(value)


# --- the 推荐表 page ---------------------------------------------------------------------------------


def form_field(page: Page, label: str) -> Locator:
    return page.locator("#nomination-form").get_by_label(label, exact=True)


def fill_form(page: Page, values: dict[str, str]) -> None:
    """Type each value into the field with that printed label (a select is chosen from)."""
    for label, value in values.items():
        field = form_field(page, label)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def autosaved(page: Page, name: str, value: str, action: Any) -> None:
    """Do ``action`` and wait until a draft carrying ``name=value`` (and all typed before it) is saved."""

    def carries(response: Any) -> bool:
        if not response.url.endswith("/autosave/") or response.request.method != "POST":
            return False
        return parse_qs(response.request.post_data or "").get(name, [""])[0] == value

    with page.expect_response(carries):
        action()
    expect(page.locator("#autosave-state")).to_contain_text("已自动保存")
    expect(page.locator("#autosave-state")).to_have_attribute("data-state", "saved")


def upload(page: Page, label: str, path: Path) -> None:
    """Choose the file for the material ``label`` and press its 上传 button."""
    form = page.locator("#materials form", has=page.get_by_label(label, exact=True))
    form.get_by_label(label, exact=True).set_input_files(path)
    with page.expect_navigation():
        form.get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text("已上传。")


def finding(page: Page, rule: str) -> Locator:
    return page.locator(f'#eligibility-panel .eligibility-finding[data-rule="{rule}"]')


def submit(page: Page, desk: Desk, *, signer: str = "", justification: str = "") -> None:
    """The 报送 card: the written explanation, the filler's confirmation and signature, then 报送."""
    card = page.locator("#submit-card")
    if justification:
        card.get_by_label("情况说明(未满足或无法核实的条件)").fill(justification)
    if signer:
        card.get_by_label("填写人对上述所填内容真实性负责并签字").check()
        card.get_by_label("填写人签字(姓名)").fill(signer)
    desk.confirmed_click(card.locator("#nomination-submit"), SUBMIT_CONFIRM)


def issue(desk: Desk, doc_number: str, *, ends_on: date | None = None) -> None:
    """发文聘任 from the nomination page, dated today; without ``ends_on`` the pack's term applies."""
    page = desk.page
    page.click("#appointment-issue")
    expect(page.locator(".page-title")).to_contain_text("发文聘任")
    today = timezone.localdate().isoformat()
    page.get_by_label("聘任文号").fill(doc_number)
    page.get_by_label("发文日期").fill(today)
    page.get_by_label("任期开始").fill(today)
    page.get_by_label("任期届满").fill(ends_on.isoformat() if ends_on else "")
    desk.confirmed_click(page.locator("#issue-submit"), ISSUE_CONFIRM)


def status_badge(page: Page) -> Locator:
    return page.locator(".page-title .badge")


def round_states(page: Page, number: int) -> list[str | None]:
    steps = page.locator(f"#round-{number} .wf-step")
    return [steps.nth(i).get_attribute("data-state") for i in range(steps.count())]


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def add_years(day: date, years: int) -> date:
    return day.replace(year=day.year + years) if (day.month, day.day) != (2, 29) else date(day.year + years, 2, 28)


def docx_text(path: Path) -> str:
    """Every paragraph of the document, in the body and in (nested) table cells."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]

    def tables(items: Any) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    return "\n".join(parts)


# --- 焦作 -------------------------------------------------------------------------------------------


def coverage_row(page: Page, name: str) -> Locator:
    return page.locator("#coverage-table tbody tr", has_text=name)


def test_jiaozuo_cio_nominates_and_the_city_appoints(
    page: Page, demo: Any, login: Any, nav: Any, shot: Any, save_download: Any, files: dict[str, Path]
) -> None:
    desk = Desk(page, login, nav, shot)
    school = demo.unit(JZ_SCHOOL).name
    county = demo.unit(JZ_COUNTY).name
    cio = demo.account(Role.CIO, JZ_SCHOOL)
    head = demo.account(Role.SCHOOL_HEAD, JZ_SCHOOL)
    county_reviewer = demo.account(Role.BUREAU_REVIEWER, JZ_COUNTY)
    city_reviewer = demo.account(Role.BUREAU_REVIEWER, "jz")

    # 0. The city reviewer's coverage dashboard before: 解放区实验小学 is among the 解放区 schools without a CIO.
    desk.sign_in(city_reviewer.username)
    nav(page, "首席信息官覆盖情况")
    expect(page.locator(".page-title")).to_contain_text("首席信息官覆盖情况 · 焦作市教育局")
    row = coverage_row(page, county)
    held_before = int(row.locator("[data-col=held]").inner_text())
    missing_before = int(row.locator("[data-col=missing]").inner_text())
    assert missing_before >= 1
    shot(page, "nomination-jz-coverage-before")
    row.locator("[data-col=missing]").click()
    expect(page.locator(".page-title")).to_contain_text(f"未设立首席信息官的单位 · {county}")
    gap = page.locator("#gaps-table tbody tr", has_text=school)
    expect(gap).to_contain_text("尚未推荐")
    gaps_url = page.url

    # 1. The school CIO (刘志强) starts the 推荐表 for himself from 首席信息官推荐 -> 新建推荐.
    desk.sign_in(cio.username)
    expect(desk.nominations()).to_contain_text(["暂无推荐"])
    shot(page, "nomination-jz-list-empty")
    desk.start_nomination("刘志强", screenshot="nomination-jz-start")
    expect(page.locator(".page-title")).to_have_text("焦作市首席教育信息官推荐表")
    expect(page.locator("#deadline")).to_contain_text("2026年度首席教育信息官推荐")
    # The record prefills what it knows; the rest is typed through the printed labels.
    expect(form_field(page, "姓名")).to_have_value("刘志强")
    expect(form_field(page, "单位名称")).to_have_value(school)
    expect(form_field(page, "性别")).to_have_value("男")
    expect(form_field(page, "出生日期")).to_have_value("1982-11-06")
    expect(form_field(page, "手机号码")).to_have_value("13803912264")
    expect(form_field(page, "填表日期")).to_have_value(timezone.localdate().isoformat())
    fill_form(
        page,
        {
            "学历": "硕士研究生",
            "民族": "汉族",
            "教龄": "18",
            "现任行政职务": "副校长(分管信息化)",
            "专业技术职务": "一级教师",
            "通信地址": "河南省焦作市解放区民主中路88号",
            "工作事迹": JZ_WORK_RECORD,
        },
    )
    expect(page.locator("#nomination-form .char-count")).to_have_text(f"已输入 {len(JZ_WORK_RECORD)} / 2000 字")
    honours = page.locator("#honours-body tr")
    expect(honours).to_have_count(2)
    page.locator("#honours").get_by_role("button", name="增加一行").click()
    expect(honours).to_have_count(3)
    first = honours.first
    first.get_by_label("获奖名称").fill("焦作市教育信息化工作先进个人")
    first.get_by_label("获奖时间").fill("2023-12")
    autosaved(page, "honours-0-granted_by", "焦作市教育局", lambda: first.get_by_label("授予单位").fill("焦作市教育局"))
    shot(page, "nomination-jz-form-filled")

    # What was typed is there again after a reload: the draft was saved without pressing anything.
    page.reload()
    expect(form_field(page, "工作事迹")).to_have_value(JZ_WORK_RECORD)
    expect(form_field(page, "通信地址")).to_have_value("河南省焦作市解放区民主中路88号")
    expect(page.locator("#honours-body tr").first.get_by_label("获奖名称")).to_have_value(
        "焦作市教育信息化工作先进个人"
    )

    # 2. Photo and the training certificate. As a deputy head, the eligibility check still fails (第一条).
    upload(page, "电子照片", files["photo"])
    expect(page.locator("#materials img.nomination-photo")).to_be_visible()
    upload(page, "培训合格证", files["certificate"])
    expect(page.locator('.attachment-slot[data-slot="training_certificate"]')).to_contain_text(
        files["certificate"].name
    )
    expect(page.locator("#eligibility-verdict")).to_have_text("不符合任职条件")
    expect(finding(page, "holder_position")).to_have_attribute("data-status", "fail")
    expect(finding(page, "holder_position")).to_contain_text("缺少“经学校班子研究授权”的证明")
    expect(finding(page, "training_or_experience")).to_have_attribute("data-status", "pass")
    shot(page, "nomination-jz-eligibility-fail")

    # Submitting now is refused, with the reason, and nothing is sent.
    submit(page, desk, signer="刘志强")
    expect(page.locator("#submit-errors")).to_contain_text("不符合任职条件,不能报送")
    expect(page.locator("#submit-errors")).to_contain_text("缺少“经学校班子研究授权”的证明")
    shot(page, "nomination-jz-submit-refused")

    # The 学校班子研究授权材料 turns the check green.
    upload(page, "学校班子研究授权材料", files["authorisation"])
    expect(page.locator("#eligibility-verdict")).to_have_text("符合任职条件")
    expect(finding(page, "holder_position")).to_have_attribute("data-status", "pass")
    expect(finding(page, "holder_position")).to_contain_text("已提供“经学校班子研究授权”的证明")
    shot(page, "nomination-jz-eligibility-pass")

    # 3. Confirmed, signed and submitted.
    submit(page, desk, signer="刘志强")
    expect(page.locator(".alert-success")).to_contain_text("推荐表已报送")
    expect(status_badge(page)).to_have_text("审核中")
    expect(page.locator("#confirmation")).to_contain_text("填写人对上述所填内容真实性负责并签字:刘志强")
    expect(page.locator("#confirmation")).to_contain_text(f"账号 {cio.username}")
    attachments = page.locator("#attachment-list li")
    expect(attachments.filter(has_text=files["authorisation"].name)).to_contain_text("学校班子研究授权材料")
    expect(attachments.filter(has_text=files["certificate"].name)).to_contain_text("培训合格证")
    assert round_states(page, 1) == ["pending", "waiting", "waiting"]
    expect(page.locator("#honours-table")).to_contain_text("焦作市教育信息化工作先进个人")
    shot(page, "nomination-jz-submitted")

    # 4. The school head gives the unit's opinion, with the seal.
    desk.sign_in(head.username)
    desk.open_nomination("刘志强")
    desk.decide("所在单位意见", "同意", JZ_SCHOOL_OPINION, seal=True)

    # 5. 解放区教育局 returns it for revision.
    desk.sign_in(county_reviewer.username)
    desk.open_nomination("刘志强")
    desk.decide("县(市、区)教育行政部门审核", "退回修改", JZ_RETURN_OPINION)

    # 6. The CIO sees 退回修改 and the reason, completes the 工作事迹 and submits again.
    desk.sign_in(cio.username)
    row = desk.nominations().filter(has_text="刘志强")
    expect(row.locator(".badge")).to_have_text("退回修改")
    desk.open_nomination("刘志强")
    expect(page.locator("#round-1 .wf-step").nth(1).locator(".wf-opinion")).to_have_text(JZ_RETURN_OPINION)
    page.click("#nomination-edit")
    expect(page.locator(".alert-warning")).to_contain_text("推荐表被退回修改")
    work_record = form_field(page, "工作事迹")
    autosaved(page, "work_record", JZ_WORK_RECORD + JZ_ADDED, lambda: work_record.fill(JZ_WORK_RECORD + JZ_ADDED))
    shot(page, "nomination-jz-returned-edit")
    expect(page.locator("#nomination-submit")).to_have_text("重新报送")
    submit(page, desk, signer="刘志强")
    expect(status_badge(page)).to_have_text("审核中")
    rounds = page.locator(".wf-round")
    expect(rounds).to_have_count(2)
    expect(rounds.nth(0)).to_have_attribute("id", "round-2")
    expect(page.locator("#round-1 .card-title")).to_contain_text("历史记录")
    assert round_states(page, 1) == ["approved", "returned", "skipped"]
    assert round_states(page, 2) == ["pending", "waiting", "waiting"]
    expect(page.locator('#form-values dd[data-field="work_record"]')).to_contain_text(JZ_ADDED)
    shot(page, "nomination-jz-round2")

    # 7. Round 2: the school, the county and the city approve.
    desk.sign_in(head.username)
    desk.open_nomination("刘志强")
    desk.decide("所在单位意见", "同意", JZ_SCHOOL_OPINION, seal=True)
    desk.sign_in(county_reviewer.username)
    desk.open_nomination("刘志强")
    desk.decide("县(市、区)教育行政部门审核", "同意", JZ_COUNTY_OPINION, seal=True)
    desk.sign_in(city_reviewer.username)
    desk.open_nomination("刘志强")
    desk.decide("市教育局审核", "同意", JZ_CITY_OPINION, seal=True)
    desk.back_to_nomination()
    expect(status_badge(page)).to_have_text("审核通过,待发文聘任")
    assert round_states(page, 2) == ["approved", "approved", "approved"]
    shot(page, "nomination-jz-approved")

    # 8. The city issues the appointment: no term length in 焦作's document, so it is open-ended.
    issue(desk, JZ_DOC_NUMBER)
    expect(page.locator(".alert-success")).to_contain_text("已发文聘任,任期开始。")
    expect(page.locator(".page-title")).to_contain_text(f"{school} · 刘志强")
    summary = page.locator("#appointment-summary")
    expect(summary).to_contain_text(JZ_DOC_NUMBER)
    expect(summary).to_contain_text(f"{cn_date(timezone.localdate())} — 长期")
    expect(page.locator("#appointment-status")).to_have_text("在任")
    shot(page, "nomination-jz-appointment")

    # 9. The dashboard counts it: one more held in 解放区, one fewer missing, the school gone from the gaps.
    nav(page, "首席信息官覆盖情况")
    row = coverage_row(page, county)
    expect(row.locator("[data-col=held]")).to_have_text(str(held_before + 1))
    missing = row.locator("td").nth(3)
    expect(missing).to_have_text(str(missing_before - 1))
    shot(page, "nomination-jz-coverage-after")
    page.goto(gaps_url)
    expect(page.locator("#gaps-table tbody")).not_to_contain_text(school)

    # 10. The 汇总表: one row, 刘志强, 已聘任, with the opinions of the round that approved it.
    desk.nominations()
    with page.expect_download() as info:
        page.click("#export-summary")
    sheet = openpyxl.load_workbook(save_download(info.value, keep_as="nomination-jz-summary.xlsx")).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, data = rows[0], rows[1:]
    assert len(data) == 1, data
    record = dict(zip(header, data[0], strict=True))
    assert (record["单位"], record["姓名"], record["状态"]) == (school, "刘志强", "已聘任")
    assert JZ_COUNTY_OPINION in str(record["各级意见"])
    assert JZ_CITY_OPINION in str(record["各级意见"])

    # 11. The 推荐表 as Word, from the nomination page.
    desk.open_nomination("刘志强")
    with page.expect_download() as info:
        page.click("#nomination-docx")
    text = docx_text(save_download(info.value, keep_as="nomination-jz.docx"))
    for expected in ("刘志强", school, "焦作市教育信息化工作先进个人", JZ_ADDED, JZ_CITY_OPINION):
        assert expected in text, expected


# --- 宜春 -------------------------------------------------------------------------------------------


def test_yichun_president_nominates_and_the_party_committee_approves(
    page: Page, demo: Any, login: Any, nav: Any, shot: Any, save_download: Any
) -> None:
    desk = Desk(page, login, nav, shot)
    president = demo.account(Role.SCHOOL_HEAD, "yc")
    party_office = demo.account(Role.BUREAU_REVIEWER, "yc")
    admin = demo.account(Role.BUREAU_ADMIN, "yc")
    desk.sign_in(president.username)

    # 1. 邓晓明 is not a party member: the form says so, and 报送 is refused citing 第五条(一).
    desk.start_nomination("邓晓明")
    expect(page.locator(".page-title")).to_have_text("宜春学院首席信息官（CIO）推荐表")
    expect(page.locator("#eligibility-verdict")).to_have_text("不符合任职条件")
    party = finding(page, "party_member")
    expect(party).to_have_attribute("data-status", "fail")
    expect(party).to_contain_text("第五条(一):非中共党员")
    fill_form(
        page,
        {
            "政治面貌": "其他",
            "教育管理经历": "2006年起在学校信息中心工作。",
            "信息化工作经历与专业素养": "主持校园网建设。",
        },
    )
    autosaved(page, "informatization_experience", "主持校园网建设。", lambda: page.keyboard.press("Tab"))
    expect(party).to_have_attribute("data-status", "fail")
    shot(page, "nomination-yc-not-eligible")
    submit(page, desk)
    errors = page.locator("#submit-errors")
    expect(errors).to_contain_text("不符合任职条件,不能报送")
    expect(errors).to_contain_text("第五条(一)")
    shot(page, "nomination-yc-refused")

    # The draft is withdrawn from 我的报送, so that the post is free for another candidate.
    nav(page, "待办审核")
    page.click("#wf-mine-link")
    page.locator("#process-table tbody tr", has_text="邓晓明").get_by_role("link").first.click()
    page.get_by_label("撤回理由").fill("不符合第五条(一)任职条件,改推荐他人。")
    desk.confirmed_click(page.locator("#wf-withdraw"), "确定撤回该事项?撤回后本事项办结,不能再报送。")
    expect(page.locator(".page-title")).to_contain_text("已撤回")

    # 2. 黄国平: the form's values drive the live check (到校工作时间 under three years fails 第五条(四)).
    desk.start_nomination("黄国平")
    expect(form_field(page, "政治面貌")).to_have_value("中共党员")
    expect(form_field(page, "到校工作时间")).to_have_value("2015-09-01")
    fill_form(
        page,
        {
            "管理职级": "副厅级",
            "教育管理经历": "历任南昌大学信息工程学院副院长、宜春学院副校长,分管教务、信息化工作。",
            "信息化工作经历与专业素养": "主持学校智慧校园总体规划和数据中心建设,计算机应用技术专业教授。",
        },
    )
    recent = (timezone.localdate() - timedelta(days=400)).isoformat()
    joined = form_field(page, "到校工作时间")
    autosaved(page, "joined_on", recent, lambda: joined.fill(recent))
    expect(finding(page, "three_years_at_university")).to_have_attribute("data-status", "fail")
    expect(finding(page, "three_years_at_university")).to_contain_text("第五条(四)")
    expect(page.locator("#eligibility-verdict")).to_have_text("不符合任职条件")
    shot(page, "nomination-yc-live-check-fail")
    autosaved(page, "joined_on", "2015-09-01", lambda: joined.fill("2015-09-01"))
    expect(finding(page, "three_years_at_university")).to_have_attribute("data-status", "pass")
    expect(page.locator("#eligibility-verdict")).to_have_text("符合任职条件")
    shot(page, "nomination-yc-form")
    submit(page, desk)
    expect(page.locator(".alert-success")).to_contain_text("推荐表已报送")
    expect(status_badge(page)).to_have_text("审核中")

    # 3. The president nominates, then the president's office meeting approves (both decided by the president).
    desk.decide("校长提名推荐", "同意", "同意提名黄国平同志为学校首席信息官人选。")
    desk.decide("校长办公会审议", "同意", "经2026年第5次校长办公会审议,同意。")
    desk.back_to_nomination()
    assert round_states(page, 1) == ["approved", "approved", "pending"]

    # 4. The party committee approves.
    desk.sign_in(party_office.username)
    desk.open_nomination("黄国平")
    desk.decide("学校党委常委会批准", "同意", "经党委常委会研究,同意聘任。")
    desk.back_to_nomination()
    expect(status_badge(page)).to_have_text("审核通过,待发文聘任")
    shot(page, "nomination-yc-approved")

    # 5. The appointment: a three-year term, ending the day before the third anniversary.
    desk.sign_in(admin.username)
    desk.open_nomination("黄国平")
    issue(desk, "宜院发〔2026〕12号")
    today = timezone.localdate()
    expect(page.locator("#appointment-summary")).to_contain_text(
        f"{cn_date(today)} — {cn_date(add_years(today, 3) - timedelta(days=1))} · 连续第1届"
    )
    shot(page, "nomination-yc-appointment")

    # The 聘任通知 lists him.
    nav(page, "首席信息官任命")
    expect(page.locator("#appointment-table")).to_contain_text("黄国平")
    with page.expect_download() as info:
        page.click("#export-notice")
    text = docx_text(save_download(info.value, keep_as="nomination-yc-notice.docx"))
    assert "黄国平" in text
    assert "宜院发〔2026〕12号" in text


# --- 贺兰 -------------------------------------------------------------------------------------------


def test_helan_school_nominates_the_head_and_later_files_a_change(
    page: Page, demo: Any, login: Any, nav: Any, shot: Any, files: dict[str, Path]
) -> None:
    desk = Desk(page, login, nav, shot)
    school = demo.unit("hl.s1").name
    head = demo.account(Role.SCHOOL_HEAD, "hl.s1")
    reviewer = demo.account(Role.BUREAU_REVIEWER, "hl")

    # 1. The head nominates himself on the 贺兰 form (出生年月 is a month, 最高学历, 毕业院校 ...).
    desk.sign_in(head.username)
    desk.start_nomination("杨志刚")
    expect(page.locator(".page-title")).to_have_text("贺兰县中小学校首席信息官推荐表")
    expect(form_field(page, "出生年月")).to_have_attribute("type", "month")
    expect(form_field(page, "出生年月")).to_have_value("1973-09")
    expect(form_field(page, "工作单位")).to_have_value(school)
    fill_form(page, {"政治面貌": "中共党员", "最高学历": "本科", "毕业院校": "宁夏大学", "所学专业": "数学与应用数学"})
    autosaved(page, "major", "数学与应用数学", lambda: page.keyboard.press("Tab"))
    upload(page, "照片", files["photo"])
    expect(page.locator("#eligibility-verdict")).to_have_text("符合任职条件")
    shot(page, "nomination-hl-form")
    submit(page, desk)
    expect(page.locator(".alert-success")).to_contain_text("推荐表已报送")
    desk.decide("学校提名(单位意见)", "同意", "杨志刚同志为学校法定代表人,同意提名。", seal=True)

    # 2. The bureau approves, and a term under three years is refused (第5条).
    desk.sign_in(reviewer.username)
    desk.open_nomination("杨志刚")
    desk.decide("教育体育局审核并发文聘任", "同意", "同意聘任。", seal=True)
    desk.back_to_nomination()
    today = timezone.localdate()
    issue(desk, "贺教体发〔2026〕8号", ends_on=add_years(today, 2))
    expect(page.locator("#issue-form .invalid-feedback")).to_have_text("第5条:任期不少于3年。")
    shot(page, "nomination-hl-term-refused")
    page.get_by_label("任期届满").fill("")
    desk.confirmed_click(page.locator("#issue-submit"), ISSUE_CONFIRM)
    expect(page.locator(".alert-success")).to_contain_text("已发文聘任")
    expect(page.locator("#appointment-summary")).to_contain_text(
        f"{cn_date(today)} — {cn_date(add_years(today, 3) - timedelta(days=1))}"
    )
    appointment_url = page.url

    # 3. Mid-term, the school replaces him by 马晓燕 (任期内变更报备) ...
    desk.sign_in(head.username)
    page.goto(appointment_url)
    change = page.locator("#change-card")
    expect(change).to_contain_text("任期内变更报备")
    pick(change.get_by_label("被推荐人"), "马晓燕")
    change.get_by_label("变更原因").fill(HL_CHANGE_REASON)
    with page.expect_navigation():
        change.get_by_role("button", name="推荐新人选并报备变更").click()
    expect(page.locator(".alert-success")).to_contain_text("已创建推荐表草稿")
    expect(form_field(page, "姓名")).to_have_value("马晓燕")
    fill_form(page, {"政治面貌": "中共党员", "工作经历": HL_WORK_HISTORY})
    autosaved(page, "work_history", HL_WORK_HISTORY, lambda: page.keyboard.press("Tab"))
    upload(page, "照片", files["photo"])
    # Not the legal representative (第4条: 原则上): allowed with a written explanation.
    expect(page.locator("#eligibility-verdict")).to_have_text("基本符合,需书面说明")
    submit(page, desk)
    expect(page.locator("#submit-errors")).to_contain_text("请填写电子邮箱。")
    expect(page.locator("#submit-card .invalid-feedback")).to_contain_text("请书面说明情况")
    shot(page, "nomination-hl-change-refused")
    email = form_field(page, "电子邮箱")
    autosaved(page, "email", "maxiaoyan@example.edu.cn", lambda: email.fill("maxiaoyan@example.edu.cn"))
    submit(page, desk, justification="校长调离,经校务会研究由分管信息化工作的副校长马晓燕担任。")
    expect(page.locator(".alert-success")).to_contain_text("推荐表已报送")
    expect(page.locator(".alert-info")).to_contain_text(f"变更原因:{HL_CHANGE_REASON}")
    desk.decide("学校报送变更", "同意", "同意变更。", seal=True)
    shot(page, "nomination-hl-change-filed")

    # ... which the bureau files and appoints; 杨志刚's appointment ends, replaced.
    desk.sign_in(reviewer.username)
    desk.open_nomination("马晓燕")
    desk.decide("主管教育行政部门备案", "同意", "已备案。")
    desk.back_to_nomination()
    issue(desk, "贺教体发〔2026〕21号")
    expect(page.locator("#appointment-status")).to_have_text("在任")
    history = page.locator("#post-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.filter(has_text="杨志刚")).to_contain_text("已离任")
    shot(page, "nomination-hl-change-appointed")
    page.goto(appointment_url)
    expect(page.locator("#appointment-status")).to_have_text("已离任")
    expect(page.locator("#appointment-summary")).to_contain_text(HL_CHANGE_REASON)
