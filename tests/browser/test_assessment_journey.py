"""Assessment cycles and rectification (issue 5), walked in the browser with the demo data.

焦教文〔2022〕60号 第四条(二): 每2年对学校信息化工作考核一次,信息化工作不合格者限期整改,
整改不合格的取消首席信息官任命.

- 焦作市教育局 opens a 学校信息化工作考核 (the demo already runs this year's, so the year is
  refused once), assigns its expert to 解放区实验小学, the school self-assesses with evidence,
  the expert scores it below the pass line, the bureau publishes; the school sees 不合格,
  appeals once (a second appeal is refused), and works through the 限期整改 order the failure
  opened: the bureau sets its deadline, the school reports with evidence, the city re-checks
  and passes it. The progress table, the Word report and the yearly result sheet follow.
- Under the demo's own cycle of this year, two schools with a CIO fail: one's rectification is
  rejected on re-check, the other lets the deadline pass; both CIO appointments are revoked
  citing 第四条(二), and the unit is told.
- The demo's 首席信息官年度测评: the expert scores a CIO, the city publishes; the order names the CIO.
- An expert reaches only the subjects assigned to it.
- 贺兰, 宜春学院 (which also commends a department, 第二十三条) and 乌海 (the city sets the standard,
  a district inspects) open the cycles of their own documents.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Dialog, Locator, Page, expect

from educio.accounts.models import User
from educio.accounts.roles import Role
from educio.accounts.tests.factories import user_with_role
from educio.appointments.models import Appointment, AppointmentStatus
from educio.assessments import services as assessments
from educio.assessments.models import AssessmentCycle, AssessmentSubject
from educio.orgs.models import Organization
from educio.rectifications.models import OrderStatus, RectificationOrder

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CITY = "jz"
COUNTY = "jz.jiefang"
SCHOOL = "jz.jiefang.s1"  # 解放区实验小学: the demo head and CIO accounts, no CIO appointed
KIND = "学校信息化工作考核"
ARTICLE = "第四条(二)"
OPEN_CONFIRM = "启动后指标体系将固定,并为范围内每个参评单位生成考核对象。确定启动?"

# The 学校信息化工作考核 leaves of the 焦作 pack (id, name, weight), and what the expert gives each (48 in all).
LEAVES = [
    ("planning_and_rules", "信息化规划、制度与标准", 20),
    ("organisation", "信息化领导小组与专家咨询指导机构", 15),
    ("funding", "经费投入保障", 15),
    ("teachers", "教师信息技术应用能力", 20),
    ("students", "学生信息素养与学习能力", 10),
    ("environment_security", "信息化环境与网络安全、数据安全", 20),
]
SCORES = {
    "planning_and_rules": ("10", "信息化发展规划未经教代会审议,制度不全。"),
    "organisation": ("8", "领导小组未按要求每学期召开会议。"),
    "funding": ("6", "未见年度信息化经费预算。"),
    "teachers": ("12", "教师培训记录基本齐全。"),
    "students": ("5", "学生信息素养活动开展较少。"),
    "environment_security": ("7", "网络安全等级保护测评未完成。"),
}
TOTAL = "48.00"
SELF_TEXT = "本校围绕“{name}”开展了工作,相关制度、记录和成果材料见佐证材料。"
APPEAL = "经费投入保障一项,我校2024年已列支信息化专项经费38万元,见财务决算,请予复核。"
APPEAL_AGAIN = "补充:2025年预算已报区教育局备案。"
APPEAL_NOTE = "经复核,学校所列经费未单列信息化预算科目,维持原评分。"
REPORT = (
    "1. 信息化发展规划已提交教代会审议通过;2. 信息化领导小组已召开专题会议并建立季度例会制度;"
    "3. 2025年预算单列信息化专项经费;4. 已完成网络安全等级保护测评。"
)
RECHECK_PASS = "经复查,整改措施落实到位,材料齐全,同意销号。"
COMMENDATION = "信息中心牵头完成智慧校园统一身份认证平台建设,在全省高校信息化工作交流中作经验介绍。"
RECHECK_FAIL = "经复查,网络安全等级保护测评仍未完成,经费预算未单列,整改不合格。"


@pytest.fixture
def scans(tmp_path: Path) -> dict[str, Path]:
    """What the school has on disk: scanned PDFs."""
    folder = tmp_path / "scans"
    folder.mkdir()
    names = {
        "plan": "学校信息化发展规划(2024-2026).pdf",
        "security": "网络安全管理制度汇编.pdf",
        "report": "整改情况报告及佐证.pdf",
    }
    paths = {}
    for key, name in names.items():
        paths[key] = folder / name
        paths[key].write_bytes(PDF)
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

    def confirmed_click(self, target: Locator, message: str, page: Page | None = None) -> None:
        """Click a button that asks for a confirmation, accept it, and wait for the next page."""
        page = page or self.page
        asked: list[str] = []

        def accept(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept()

        page.once("dialog", accept)
        with page.expect_navigation():
            target.click()
        assert asked == [message], asked

    def submit(self, target: Locator) -> None:
        with self.page.expect_navigation():
            target.click()

    def success(self, text: str) -> None:
        expect(self.page.locator(".alert-success")).to_contain_text(text)

    def error(self, text: str) -> None:
        expect(self.page.locator(".alert-danger").first).to_contain_text(text)

    def decide_recheck(self, title: str, decision: str, opinion: str) -> None:
        """待办审核 -> the re-check -> the decision with its opinion (the step asks for no seal)."""
        self.nav(self.page, "待办审核")
        row = self.page.locator("#inbox-table tbody tr", has_text=title)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("市教育局复查整改情况")
        row.get_by_role("link", name=title).click()
        expect(self.page.locator("#decision")).to_contain_text("办理:市教育局复查整改情况")
        form = self.page.locator("#decision-form")
        expect(form.locator("#id_seal")).to_have_count(0)
        form.get_by_label(decision, exact=True).check()
        form.locator("#id_opinion").fill(opinion)
        self.confirmed_click(form.locator("#wf-decide"), "确定提交审核意见?提交后不能修改。")
        self.success("已提交审核意见。")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def account(demo: Any, role: str, ref: str) -> User:
    return User.objects.get(username=demo.account(role, ref).username)


def unit(demo: Any, ref: str) -> Organization:
    city = Organization.objects.get(depth=1, name=demo.unit(CITY).name)
    return Organization.objects.get(path__startswith=city.path, name=demo.unit(ref).name)


# --- the bureau's and the school's pages -----------------------------------------------------------


def open_cycle(desk: Desk, demo: Any, year: int, *, refused_year: int) -> str:
    """新建考核 as the city: the year the demo already used is refused, then the cycle is created and started."""
    page = desk.page
    desk.nav(page, "考核评价")
    expect(page.locator(".page-title")).to_have_text("考核评价")
    page.click("#cycle-new")
    with page.expect_navigation():
        page.locator("#id_org").select_option(label=demo.unit(CITY).name)
    form = page.locator("#cycle-form")
    form.get_by_label("考核类别(制度方案)").select_option(label=KIND)
    expect(form.get_by_label("指标模板")).to_have_value("")
    today = timezone.localdate()
    form.get_by_label("年度").fill(str(refused_year))
    form.get_by_label("自评截止日期").fill((today + timedelta(days=14)).isoformat())
    form.get_by_label("评审截止日期").fill((today + timedelta(days=30)).isoformat())
    desk.submit(page.locator("#cycle-submit"))
    expect(page.locator("#cycle-form .invalid-feedback")).to_contain_text(f"本单位已组织过{refused_year}年的“{KIND}”。")
    desk.shot(page, "assessment-cycle-year-taken")
    form.get_by_label("年度").fill(str(year))
    desk.submit(page.locator("#cycle-submit"))
    desk.success("已创建考核(草稿)")
    name = f"{year}—{year + 1}年度{KIND}"
    expect(page.locator(".page-title")).to_contain_text(name)
    expect(page.locator(".page-title .badge")).to_have_text("草稿")
    summary = page.locator("#cycle-summary")
    expect(summary).to_contain_text(f"设立首席教育信息官（CIO）的通知(第1版) {ARTICLE}")
    expect(summary).to_contain_text(f"限期整改(依据 {ARTICLE})")
    expect(page.locator("#self-deadline")).to_have_text(cn_date(today + timedelta(days=14)))
    desk.shot(page, "assessment-cycle-draft")
    schools = len(demo.school_names(CITY))
    start(desk, f"考核已启动,{schools} 个单位(人员)参评。")
    expect(page.locator(".page-title .badge")).to_have_text("自评中")
    expect(page.locator('[data-kpi="assessed"]')).to_have_text(str(schools))
    expect(page.locator('[data-kpi="not_started"]')).to_have_text(str(schools))
    return name


def start(desk: Desk, message: str) -> None:
    """启动考核 from the draft cycle's page."""
    desk.confirmed_click(desk.page.locator("#cycle-open"), OPEN_CONFIRM)
    desk.success(message)


def progress_row(page: Page, county: str) -> Locator:
    return page.locator("#progress-table tbody tr", has_text=county)


def assign_expert(desk: Desk, school: str, expert: User) -> None:
    """考核对象 -> tick the school -> 分配评审 to the expert."""
    page = desk.page
    page.click("#subjects-link")
    page.locator("#table-filter").get_by_label("单位或姓名").fill(school)
    desk.submit(page.locator("#table-filter").get_by_role("button", name="查询"))
    rows = page.locator("#subject-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_label(f"选择 {school}").check()
    page.locator("#assign-panel select").select_option(label=f"{expert.full_name}({expert.username})")
    desk.submit(page.locator("#assign-submit"))
    desk.success("已分配 1 个考核对象;跳过 0 个")
    expect(page.locator("#subject-table tbody tr").first.locator("td").nth(5)).to_have_text("1")


def self_assess(desk: Desk, cycle_name: str, scans: dict[str, Path]) -> str:
    """我的考核 -> 填报自评: evidence first, an incomplete submission refused, then every leaf and 提交自评."""
    page = desk.page
    desk.nav(page, "考核评价")
    page.get_by_role("link", name="我的考核").click()
    row = page.locator("#my-subject-table tbody tr", has_text=cycle_name)
    expect(row.locator(".badge")).to_have_text("未自评")
    desk.shot(page, "assessment-my-subjects")
    row.get_by_role("link", name="填报自评").click()
    expect(page.locator(".page-title")).to_contain_text("填报自评")
    for leaf, scan in (("planning_and_rules", scans["plan"]), ("environment_security", scans["security"])):
        evidence = page.locator(f"#evidence-{leaf}")
        evidence.get_by_label("选择文件").set_input_files(scan)
        desk.submit(evidence.get_by_role("button", name="上传"))
        desk.success("材料已上传。")
        expect(page.locator(f"#evidence-{leaf}")).to_contain_text(scan.name)
    # Two accounts written, the rest missing: 提交自评 is refused, naming what is missing, and keeps the text.
    for leaf_id, name, _weight in LEAVES[:2]:
        page.locator(f"#text-{leaf_id}").fill(SELF_TEXT.format(name=name))
    desk.confirmed_click(page.locator("#self-submit"), "提交后不能再修改,确定提交自评?")
    missing = "、".join(name for _id, name, _w in LEAVES[2:])
    expect(page.locator("#self-errors")).to_contain_text(f"以下指标尚未填写自评说明:{missing}。")
    expect(page.locator(f"#text-{LEAVES[0][0]}")).to_have_value(SELF_TEXT.format(name=LEAVES[0][1]))
    for leaf_id, name, _weight in LEAVES[2:]:
        page.locator(f"#text-{leaf_id}").fill(SELF_TEXT.format(name=name))
    page.locator("#score-funding").fill("16")
    desk.submit(page.locator("#self-save"))
    expect(page.locator("#score-funding")).to_have_class("form-control is-invalid")
    expect(page.locator("#leaf-funding .invalid-feedback")).to_have_text(
        "“经费投入保障”的自评分须在 0 到 15.00 之间,最多两位小数。"
    )
    page.locator("#score-funding").fill("13")
    desk.shot(page, "assessment-self-assessment")
    desk.confirmed_click(page.locator("#self-submit"), "提交后不能再修改,确定提交自评?")
    desk.success("自评已提交。")
    expect(page.locator("#subject-status .badge")).to_have_text("已自评")
    expect(page.locator("#indicator-sheet")).to_contain_text(scans["plan"].name)
    expect(page.locator("#result-card")).to_contain_text("结果尚未发布。")
    return page.url


def score(desk: Desk, cycle_name: str, school: str, save_download: Any, plan_name: str) -> None:
    """我的评审任务 -> 评分: a score over the leaf's maximum refused, then every leaf scored and submitted."""
    page = desk.page
    desk.nav(page, "我的评审任务")
    row = page.locator("#review-table tbody tr", has_text=cycle_name).filter(has_text=school)
    expect(row.locator("td").nth(5)).to_have_text("待评分")
    desk.shot(page, "assessment-my-reviews")
    row.get_by_role("link", name="评分").click()
    expect(page.locator(".page-title")).to_have_text(f"评分 · {school}")
    sheet = page.locator("#leaf-planning_and_rules")
    expect(sheet).to_contain_text(SELF_TEXT.format(name="信息化规划、制度与标准"))
    with page.expect_download() as info:
        sheet.get_by_role("link", name=plan_name).click()
    assert save_download(info.value).read_bytes() == PDF
    page.locator("#score-planning_and_rules").fill("25")
    desk.submit(page.locator("#review-save"))
    expect(sheet.locator(".invalid-feedback")).to_have_text(
        "“信息化规划、制度与标准”的得分须在 0 到 20.00 之间,最多两位小数。"
    )
    for leaf_id, (value, comment) in SCORES.items():
        page.locator(f"#score-{leaf_id}").fill(value)
        page.locator(f"#comment-{leaf_id}").fill(comment)
    desk.shot(page, "assessment-review")
    desk.confirmed_click(page.locator("#review-submit"), "确定提交评分?")
    desk.success("评分已提交,评审结果已确认。")
    row = page.locator("#review-table tbody tr", has_text=cycle_name).filter(has_text=school)
    expect(row.locator("td").nth(5)).to_have_text("已提交")
    expect(row.locator("td").nth(3)).to_have_text("已评审")


def appeal_twice(desk: Desk, subject_url: str) -> None:
    """The school appeals in one tab; the same form, still open in another tab, is refused the second time."""
    page = desk.page
    page.goto(subject_url)
    other = page.context.new_page()
    other.goto(subject_url)
    expect(other.locator("#appeal-form")).to_be_visible()
    page.locator("#appeal-form textarea").fill(APPEAL)
    desk.confirmed_click(page.locator("#appeal-submit"), "每个结果只能申诉一次,确定提交?")
    desk.success("申诉已提交,请等待组织考核的单位处理。")
    expect(page.locator("#subject-status .badge")).to_have_text("申诉中")
    expect(page.locator("#appeal-card")).to_contain_text(APPEAL)
    expect(page.locator("#appeal-form")).to_have_count(0)
    other.locator("#appeal-form textarea").fill(APPEAL_AGAIN)
    desk.confirmed_click(other.locator("#appeal-submit"), "每个结果只能申诉一次,确定提交?", page=other)
    expect(other.locator(".alert-danger")).to_contain_text("每个考核结果只能申诉一次,该结果已申诉过。")
    expect(other.locator("#appeal-card")).to_contain_text(APPEAL)
    expect(other.locator("#appeal-card")).not_to_contain_text(APPEAL_AGAIN)
    desk.shot(other, "assessment-second-appeal-refused")
    other.close()


def order_row(page: Page, school: str) -> Locator:
    return page.locator("#order-table tbody tr", has_text=school)


def report_rectification(desk: Desk, school: str, scan: Path, *, screenshot: str = "") -> None:
    """限期整改 -> the order -> 佐证材料 uploaded, then the 整改报告 sent for re-check."""
    page = desk.page
    desk.nav(page, "限期整改")
    order_row(page, school).get_by_role("link").first.click()
    expect(page.locator("#order-status")).to_contain_text("待整改")
    page.locator("#evidence-form input[type=file]").set_input_files(scan)
    desk.submit(page.locator("#evidence-submit"))
    desk.success("已上传。")
    expect(page.locator("#evidence")).to_contain_text(scan.name)
    page.locator("#report-form textarea").fill(REPORT)
    if screenshot:
        desk.shot(page, screenshot)
    desk.confirmed_click(page.locator("#report-submit"), "确定报送整改报告?报送后进入复查,不能再修改材料。")
    desk.success("整改报告已报送,等待复查。")
    expect(page.locator("#order-status")).to_contain_text("复查中")
    expect(page.locator("#order-report")).to_contain_text("已完成网络安全等级保护测评")


# --- 焦作: open, self-assess, score, publish, appeal, rectify, re-check passes ---------------------


def test_jiaozuo_school_assessment_fails_and_its_rectification_passes(
    page: Page, demo: Any, login: Any, nav: Any, shot: Any, save_download: Any, scans: dict[str, Path]
) -> None:
    desk = Desk(page, login, nav, shot)
    today = timezone.localdate()
    school = demo.unit(SCHOOL).name
    county = demo.unit(COUNTY).name
    admin = account(demo, Role.BUREAU_ADMIN, CITY)
    expert = account(demo, Role.EXPERT, CITY)
    cio = account(demo, Role.CIO, SCHOOL)
    head = account(demo, Role.SCHOOL_HEAD, SCHOOL)
    city_reviewer = account(demo, Role.BUREAU_REVIEWER, CITY)
    county_schools = len(demo.school_names(COUNTY))

    # 1. The city opens the previous biennial period (this year's is the demo's), with its deadlines.
    desk.sign_in(admin.username)
    cycle_name = open_cycle(desk, demo, today.year - 2, refused_year=today.year)
    cycle_url = page.url
    expect(progress_row(page, county).locator("td").nth(1)).to_have_text(str(county_schools))
    assign_expert(desk, school, expert)
    shot(page, "assessment-subjects-assigned")

    # 2. The school's CIO fills the self-assessment with evidence and submits it.
    desk.sign_in(cio.username)
    subject_url = self_assess(desk, cycle_name, scans)
    shot(page, "assessment-self-assessed")

    # 3. The expert scores every leaf with a comment; the total fails (48 < 60).
    desk.sign_in(expert.username)
    score(desk, cycle_name, school, save_download, scans["plan"].name)

    # 4. The city sees the progress, then publishes with an appeal deadline: the failure goes to rectification.
    desk.sign_in(admin.username)
    page.goto(cycle_url)
    expect(page.locator('[data-kpi="reviewed"]')).to_have_text("1")
    cells = progress_row(page, county).locator("td")
    expect(cells.nth(1)).to_have_text(str(county_schools - 1))  # 未自评
    expect(cells.nth(3)).to_have_text("1")  # 已评审
    expect(page.locator("#grade-counts")).to_contain_text("不合格 1")
    expect(page.locator("#progress-chart canvas")).to_have_count(1)
    appeal_deadline = today + timedelta(days=15)
    expect(page.locator("#publish-form").get_by_label("申诉截止日期")).to_have_value(appeal_deadline.isoformat())
    desk.confirmed_click(page.locator("#cycle-publish"), "确定发布已评审的结果?")
    desk.success("已发布 1 个结果,其中不合格 1 个,转入限期整改 1 个。")
    expect(page.locator(".page-title .badge")).to_have_text("已发布结果")
    expect(page.locator('[data-kpi="published"]')).to_have_text("1")
    expect(cells.nth(4)).to_have_text("1")  # 已发布
    expect(cells.nth(7)).to_have_text("1")  # 不合格
    expect(page.locator("#grade-chart canvas")).to_have_count(1)
    shot(page, "assessment-cycle-published")
    with page.expect_download() as info:
        page.click("#report-link")
    report = docx_text(save_download(info.value, keep_as="assessment-cycle-report.docx"))
    for expected in (cycle_name, school, TOTAL, "不合格"):
        assert expected in report, expected

    # 5. The school head sees the result (总分, 不合格, the comments) and that it went to rectification.
    desk.sign_in(head.username)
    expect(page.locator("#notification-count")).to_be_visible()
    desk.nav(page, "考核评价")
    page.get_by_role("link", name="我的考核").click()
    row = page.locator("#my-subject-table tbody tr", has_text=cycle_name)
    expect(row).to_contain_text(f"{TOTAL} 不合格")
    row.get_by_role("link", name="查看").click()
    expect(page.locator("#subject-total")).to_have_text(TOTAL)
    expect(page.locator("#subject-grade")).to_have_text("不合格")
    expect(page.locator("#result-card")).to_contain_text("已转入限期整改。")
    expect(page.locator("#indicator-sheet")).to_contain_text(SCORES["funding"][1])
    expect(page.locator("#indicator-sheet")).not_to_contain_text(expert.full_name)  # reviewers stay anonymous
    expect(page.locator("#appeal-card")).to_contain_text(f"可在 {cn_date(appeal_deadline)} 前申诉一次")
    shot(page, "assessment-result-school")

    # 6. It appeals once; the second appeal (from a tab still open on the form) is refused.
    appeal_twice(desk, subject_url)

    # 7. The city upholds the result.
    desk.sign_in(admin.username)
    page.goto(subject_url)
    decision = page.locator("#decide-form")
    decision.get_by_label("处理结果").select_option(label="维持原结果")
    decision.get_by_label("处理意见").fill(APPEAL_NOTE)
    desk.submit(page.locator("#decide-submit"))
    desk.success("申诉已处理。")
    expect(page.locator("#appeal-card")).to_contain_text("维持原结果")
    expect(page.locator("#subject-status .badge")).to_have_text("已发布")

    # 8. The 限期整改 order: findings, the article, no deadline in the pack, so the city sets one.
    nav(page, "限期整改")
    row = order_row(page, school)
    expect(row).to_contain_text(cycle_name)
    expect(row).to_contain_text(ARTICLE)
    expect(row).to_contain_text("待定")
    row.get_by_role("link").first.click()
    expect(page.locator("#order-article")).to_contain_text(ARTICLE)
    expect(page.locator("#order-deadline")).to_contain_text("待下达单位确定")
    findings = page.locator("#order-findings")
    expect(findings).to_contain_text(f"总分 {TOTAL},等级“不合格”")
    expect(findings).to_contain_text(SCORES["environment_security"][1])
    expect(findings).not_to_contain_text(SCORES["teachers"][1])  # 12 / 20 is not below the pass share
    expect(page.locator("#order-summary")).to_contain_text("取消首席信息官任命")
    deadline = today + timedelta(days=30)
    page.locator("#deadline-form").get_by_label("整改期限").fill(deadline.isoformat())
    desk.submit(page.locator("#deadline-form").get_by_role("button", name="保存"))
    desk.success("已调整整改期限。")
    expect(page.locator("#order-deadline")).to_contain_text(f"{cn_date(deadline)} 还有30天")
    shot(page, "assessment-rectification-order")
    order_url = page.url

    # 9. The school reports with evidence; the city reviewer re-checks in 待办审核 and passes it.
    desk.sign_in(cio.username)
    report_rectification(desk, school, scans["report"], screenshot="assessment-rectification-report")
    desk.sign_in(city_reviewer.username)
    desk.decide_recheck(f"{school}限期整改复查", "同意", RECHECK_PASS)
    page.locator("#process-subject a").click()
    assert page.url == order_url
    expect(page.locator("#order-status")).to_contain_text("复查合格,已销号")
    expect(page.locator("#outcome")).to_contain_text("整改复查合格,予以销号。")
    expect(page.locator("#deadline-card")).to_have_count(0)
    shot(page, "assessment-rectification-passed")

    # 10. The school's yearly result sheet (贺兰 第十四条 style) lists the result, and exports it.
    desk.sign_in(head.username)
    desk.nav(page, "考核评价")
    page.get_by_role("link", name="年度考核结果").click()
    row = page.locator("#result-table tbody tr", has_text=cycle_name)
    expect(row).to_contain_text(TOTAL)
    expect(row).to_contain_text("不合格")
    shot(page, "assessment-results-sheet")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出结果单").click()
    sheet = openpyxl.load_workbook(save_download(info.value, keep_as="assessment-results.xlsx")).active
    assert sheet is not None
    values = [str(v) for r in sheet.iter_rows(values_only=True) for v in r if v is not None]
    assert school in values, values
    assert "不合格" in values, values

    order = RectificationOrder.objects.get(organization=unit(demo, SCHOOL))
    assert (order.status, order.deadline, order.article) == (OrderStatus.PASSED, deadline, ARTICLE)


# --- 焦作: a failed re-check and a missed deadline revoke the CIO ------------------------------------


@dataclass
class Failures:
    """Two schools with a demo CIO whose results in the demo's current cycle failed and were published."""

    rejected: Organization  # its re-check will fail
    overdue: Organization  # it will let the deadline pass
    rejected_cio: User
    rejected_holder: Appointment
    overdue_holder: Appointment


def _self_assess(subject: AssessmentSubject, writer: User) -> None:
    entries = {leaf_id: (SELF_TEXT.format(name=name), "") for leaf_id, name, _w in LEAVES}
    assessments.self_assessment_save(actor=writer, subject=subject, entries=entries)
    assessments.self_assessment_submit(actor=writer, subject=subject)


@pytest.fixture
def failures(demo: Any) -> Failures:
    """The demo's 学校信息化工作考核 of this year: 建设路小学 and 特殊教育学校 (both with a CIO) fail.

    Neither school has a demo login; each gets a CIO account (demo password) that fills its
    self-assessment; jz_expert scores both below the line and jz_admin publishes.
    """
    admin = account(demo, Role.BUREAU_ADMIN, CITY)
    expert = account(demo, Role.EXPERT, CITY)
    cycle = AssessmentCycle.objects.get(cycle_id="school_biennial_assessment", year=timezone.localdate().year)
    rejected, overdue = unit(demo, "jz.jiefang.s2"), unit(demo, "jz.jiefang.s4")
    holders = {}
    accounts = {}
    for school, username in ((rejected, "jz_jianshe_cio"), (overdue, "jz_tejiao_cio")):
        holder = Appointment.objects.get(organization=school, status=AppointmentStatus.ACTIVE)
        holders[school.pk] = holder
        accounts[school.pk] = user_with_role(
            Role.CIO, school, username=username, full_name=holder.person.name, password=demo.password
        )
    subjects = list(AssessmentSubject.objects.filter(cycle=cycle, organization__in=[rejected, overdue]))
    for subject in subjects:
        _self_assess(subject, accounts[subject.organization_id])
    assessments.reviewers_assign(actor=admin, cycle=cycle, subject_ids=[s.pk for s in subjects], reviewer=expert)
    for subject in subjects:
        assessments.scores_save(actor=expert, subject=subject, values=SCORES)
        assessments.scores_submit(actor=expert, subject=subject)
    published = assessments.cycle_publish(
        actor=admin, cycle=cycle, appeal_deadline=timezone.localdate() + timedelta(days=15)
    )
    assert (published.published, published.failing, published.rectifications) == (2, 2, 2)
    return Failures(
        rejected=rejected,
        overdue=overdue,
        rejected_cio=accounts[rejected.pk],
        rejected_holder=holders[rejected.pk],
        overdue_holder=holders[overdue.pk],
    )


def expect_revoked(desk: Desk, holder: Appointment) -> None:
    """The order's outcome names the revocation; the appointment page shows it, citing 第四条(二)."""
    page = desk.page
    note = page.locator("#consequence-note")
    expect(note).to_contain_text(f"已取消{holder.person.name}的{holder.post_name}任命")
    expect(note).to_contain_text(f"依据{ARTICLE}")
    expect(note).to_contain_text("该单位须重新推荐")
    page.locator("#revoked-appointment").click()
    expect(page.locator("#appointment-status")).to_have_text("已取消任命")
    expect(page.locator("#appointment-summary")).to_contain_text(f"(依据 {ARTICLE})")


def test_jiaozuo_failed_or_overdue_rectification_revokes_the_cio(
    page: Page, demo: Any, login: Any, nav: Any, shot: Any, scans: dict[str, Path], failures: Failures
) -> None:
    desk = Desk(page, login, nav, shot)
    f = failures
    today = timezone.localdate()

    # 1. 建设路小学's CIO reports; the city reviewer rejects the rectification on re-check.
    desk.sign_in(f.rejected_cio.username)
    report_rectification(desk, f.rejected.name, scans["report"])
    desk.sign_in(account(demo, Role.BUREAU_REVIEWER, CITY).username)
    desk.decide_recheck(f"{f.rejected.name}限期整改复查", "不同意", RECHECK_FAIL)
    page.locator("#process-subject a").click()
    expect(page.locator("#order-status")).to_contain_text("复查不合格")
    expect(page.locator("#outcome")).to_contain_text("整改复查不合格。")
    shot(page, "assessment-rectification-failed")
    expect_revoked(desk, f.rejected_holder)
    expect(page.locator("#appointment-summary")).to_contain_text("整改复查不合格取消")
    shot(page, "assessment-appointment-revoked")

    # The school is told.
    desk.sign_in(f.rejected_cio.username)
    page.click("#notification-bell")
    expect(page.locator("#notification-table")).to_contain_text("整改复查不合格")

    # 2. 特殊教育学校 never reports: the city sets a deadline, the daily check runs the day after it.
    desk.sign_in(account(demo, Role.BUREAU_ADMIN, CITY).username)
    nav(page, "限期整改")
    order_row(page, f.overdue.name).get_by_role("link").first.click()
    deadline = today + timedelta(days=10)
    page.locator("#deadline-form").get_by_label("整改期限").fill(deadline.isoformat())
    desk.submit(page.locator("#deadline-form").get_by_role("button", name="保存"))
    desk.success("已调整整改期限。")
    order_url = page.url
    for run in range(2):  # a second run changes nothing
        out = io.StringIO()
        call_command("check_rectifications", today=(deadline + timedelta(days=1)).isoformat(), stdout=out)
        assert f"逾期 {1 - run} 件" in out.getvalue(), out.getvalue()
    page.goto(order_url)
    expect(page.locator("#order-status")).to_contain_text("逾期未整改")
    expect(page.locator("#outcome")).to_contain_text("整改期限")
    shot(page, "assessment-rectification-overdue")
    expect_revoked(desk, f.overdue_holder)
    expect(page.locator("#appointment-summary")).to_contain_text("逾期未整改自动取消")

    # The order list shows both outcomes; each appointment was revoked exactly once.
    nav(page, "限期整改")
    expect(order_row(page, f.rejected.name)).to_contain_text("复查不合格")
    expect(order_row(page, f.overdue.name)).to_contain_text("逾期未整改")
    shot(page, "assessment-rectification-list")

    # 整改统计: both count as revoked under 解放区教育局; the revoked figure links to its list.
    page.get_by_role("link", name="整改统计").click()
    expect(page.locator('[data-kpi="revoked"]')).to_have_text("2")
    expect(page.locator('[data-kpi="overdue"]')).to_have_text("1")
    county = page.locator("#dashboard-table tbody tr", has_text=demo.unit(COUNTY).name)
    expect(county.locator('[data-col="revoked"]')).to_have_text("2")
    expect(page.locator("#rectification-chart canvas")).to_have_count(1)
    shot(page, "assessment-rectification-dashboard")
    county.locator('[data-col="revoked"]').click()
    expect(page.locator("#order-table tbody tr")).to_have_count(2)
    for holder in (f.rejected_holder, f.overdue_holder):
        holder.refresh_from_db()
        assert (holder.status, holder.revocation_article) == (AppointmentStatus.REVOKED, ARTICLE)


# --- an expert sees only what it is assigned -----------------------------------------------------------


def test_an_expert_reaches_only_the_subjects_assigned_to_it(
    page: Page, demo: Any, live_url: str, login: Any, nav: Any, shot: Any
) -> None:
    expert = account(demo, Role.EXPERT, CITY)
    cycle = AssessmentCycle.objects.get(cycle_id="cio_annual_evaluation", year=timezone.localdate().year)
    mine = AssessmentSubject.objects.filter(cycle=cycle, assignments__reviewer=expert).select_related("organization")
    others = AssessmentSubject.objects.filter(cycle=cycle).exclude(assignments__reviewer=expert)
    assigned = mine.first()
    unassigned = others.filter(assignments__isnull=False).select_related("organization").first()
    assert assigned is not None
    assert unassigned is not None

    login(page, expert.username)
    nav(page, "我的评审任务")
    rows = page.locator("#review-table tbody tr")
    expect(rows).to_have_count(mine.count())
    expect(page.locator("#review-table")).not_to_contain_text(unassigned.organization.name)
    expect(page.locator("#sidebar-menu")).not_to_contain_text("考核评价")
    shot(page, "assessment-expert-tasks")
    rows.filter(has_text=assigned.organization.name).get_by_role("link", name="评分").click()
    expect(page.locator(".page-title")).to_contain_text(assigned.organization.name)

    response = page.goto(f"{live_url}/assessments/reviews/{unassigned.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(unassigned.organization.name)
    shot(page, "assessment-expert-404")
    # The unit's page is for the unit and the bureau: an expert holds no right to view assessments.
    response = page.goto(f"{live_url}/assessments/subjects/{unassigned.pk}/")
    assert response is not None
    assert response.status == 403
    expect(page.locator("body")).not_to_contain_text(unassigned.organization.name)


# --- 焦作: the annual CIO evaluation ------------------------------------------------------------------

CIO_SCORES = {
    "planning": ("8", "未制定本校信息化发展规划。"),
    "rules": ("6", "信息化工作制度不健全。"),
    "teacher_application": ("10", "信息技术与教学融合应用较少。"),
    "teacher_training": ("6", "未见教师培训研修记录。"),
    "student_ability": ("4", "学生信息素养活动开展不足。"),
    "environment_security": ("10", "网络安全责任制未落实。"),
}


def test_jiaozuo_annual_cio_evaluation_publishes_and_a_failing_cio_must_rectify(
    page: Page, demo: Any, login: Any, nav: Any, shot: Any
) -> None:
    """The demo's 首席信息官年度测评: the expert scores a CIO it was assigned, the city confirms and publishes."""
    desk = Desk(page, login, nav, shot)
    cycle = AssessmentCycle.objects.get(cycle_id="cio_annual_evaluation", year=timezone.localdate().year)
    school = unit(demo, "jz.jiefang.s2")
    subject = AssessmentSubject.objects.select_related("person").get(cycle=cycle, organization=school)
    assert subject.person is not None
    cio_name = subject.person.name

    # 1. The expert scores the CIO of 建设路小学 below the line.
    desk.sign_in(account(demo, Role.EXPERT, CITY).username)
    nav(page, "我的评审任务")
    row = page.locator("#review-table tbody tr", has_text=cycle.name).filter(has_text=school.name)
    expect(row).to_contain_text(cio_name)
    row.get_by_role("link", name="评分").click()
    for leaf_id, (value, comment) in CIO_SCORES.items():
        page.locator(f"#score-{leaf_id}").fill(value)
        page.locator(f"#comment-{leaf_id}").fill(comment)
    desk.confirmed_click(page.locator("#review-submit"), "确定提交评分?")
    desk.success("评分已提交,评审结果已确认。")

    # 2. The city confirms what its reviewers finished, then publishes every reviewed result.
    desk.sign_in(account(demo, Role.BUREAU_ADMIN, CITY).username)
    nav(page, "考核评价")
    page.locator("#cycle-table").get_by_role("link", name=cycle.name).click()
    desk.submit(page.locator("#cycle-confirm"))
    desk.success("已确认 0 个评审结果")
    reviewed = AssessmentSubject.objects.filter(cycle=cycle, status="reviewed")
    count, failing = reviewed.count(), reviewed.filter(passed=False).count()
    expect(page.locator('[data-kpi="reviewed"]')).to_have_text(str(count))
    desk.confirmed_click(page.locator("#cycle-publish"), "确定发布已评审的结果?")
    desk.success(f"已发布 {count} 个结果,其中不合格 {failing} 个,转入限期整改 {failing} 个。")
    shot(page, "assessment-cio-cycle-published")

    # 3. The CIO's order names the CIO as the responsible person; 第四条(二) orders no further consequence here.
    nav(page, "限期整改")
    order_row(page, school.name).get_by_role("link").first.click()
    summary = page.locator("#order-summary")
    expect(summary).to_contain_text(cio_name)
    expect(summary).to_contain_text(cycle.name)
    expect(summary).to_contain_text("无(仅通报)")
    expect(page.locator("#order-article")).to_contain_text(ARTICLE)
    expect(page.locator("#order-findings")).to_contain_text("总分 44.00")
    expect(page.locator("#order-findings")).to_contain_text(CIO_SCORES["planning"][1])
    shot(page, "assessment-cio-rectification-order")


# --- the other packs' cycles -------------------------------------------------------------------------


def create_cycle(desk: Desk, unit_name: str, kind: str, *, template: str = "") -> None:
    """新建考核 for ``unit_name`` with the form's default year and deadlines, then 启动考核."""
    page = desk.page
    desk.nav(page, "考核评价")
    page.click("#cycle-new")
    units = page.locator("#id_org")
    if units.locator("option").count() > 2:
        with page.expect_navigation():
            units.select_option(label=unit_name)
    else:
        expect(units).to_have_value(str(Organization.objects.get(name=unit_name).pk))
    form = page.locator("#cycle-form")
    form.get_by_label("考核类别(制度方案)").select_option(label=kind)
    if template:
        form.get_by_label("指标模板").select_option(label=template)
    desk.submit(page.locator("#cycle-submit"))
    desk.success("已创建考核(草稿)")
    start(desk, "考核已启动")


def test_helan_county_opens_the_cio_performance_evaluation(
    page: Page, demo: Any, login: Any, nav: Any, shot: Any
) -> None:
    """贺兰 第十四条: the county evaluates each school's CIO; a school without one is listed as 未设立."""
    desk = Desk(page, login, nav, shot)
    bureau = unit_named(demo, "hl")
    holders = Appointment.objects.filter(organization__path__startswith=bureau.path, status=AppointmentStatus.ACTIVE)
    desk.sign_in(account(demo, Role.BUREAU_ADMIN, "hl").username)
    create_cycle(desk, bureau.name, "首席信息官工作绩效评价")
    year = timezone.localdate().year
    expect(page.locator(".page-title")).to_contain_text(f"{year}年度首席信息官工作绩效评价")
    expect(page.locator("#cycle-summary")).to_contain_text("任职人员")
    expect(page.locator('[data-kpi="assessed"]')).to_have_text(str(holders.count()))
    schools = len(demo.school_names("hl"))
    expect(page.locator('[data-kpi="vacant"]')).to_have_text(str(schools - holders.count()))
    shot(page, "assessment-hl-cycle")
    page.click("#subjects-link")
    holder = holders.select_related("organization", "person").first()
    assert holder is not None
    expect(page.locator("#subject-table tbody tr", has_text=holder.organization.name)).to_contain_text(
        holder.person.name
    )
    expect(page.locator("#subject-table tbody tr", has_text=demo.unit("hl.s1").name)).to_contain_text("未设立")
    shot(page, "assessment-hl-subjects")


def test_yichun_university_evaluates_its_departments_and_commends_one(
    page: Page, demo: Any, live_url: str, login: Any, nav: Any, shot: Any
) -> None:
    desk = Desk(page, login, nav, shot)
    university = demo.unit("yc")
    desk.sign_in(account(demo, Role.BUREAU_ADMIN, "yc").username)
    create_cycle(desk, university.name, "部门信息化工作考核评价")
    expect(page.locator("#cycle-summary")).to_contain_text("部门/学院")
    departments = [u.name for u in university.walk() if u is not university]
    expect(page.locator('[data-kpi="assessed"]')).to_have_text(str(len(departments)))
    shot(page, "assessment-yc-cycle")
    page.click("#subjects-link")
    table = page.locator("#subject-table")
    for name in departments:
        expect(table).to_contain_text(name)
    shot(page, "assessment-yc-subjects")

    # 第二十三条: the 信息中心 is commended; the record shows on the department's page.
    centre = demo.unit("yc.info_center").name
    nav(page, "表彰与追责")
    page.click("#recognition-new")
    expect(page.locator("#id_org option", has_text=centre)).to_have_count(1)  # the departments are its units
    with page.expect_navigation():
        page.locator("#id_org").select_option(label=centre)
    form = page.locator("#recognition-form")
    form.get_by_label("类别").select_option(label="表彰奖励")
    form.get_by_label("事由").fill(COMMENDATION)
    form.get_by_label("日期").fill(timezone.localdate().isoformat())
    form.get_by_label("文号").fill("宜院发〔2026〕31号")
    form.get_by_label("依据条款").fill("第二十三条")
    desk.submit(page.locator("#recognition-submit"))
    desk.success("已登记")
    expect(page.locator("body")).to_contain_text(COMMENDATION)
    page.goto(f"{live_url}/orgs/{Organization.objects.get(name=centre).pk}/")
    record = page.locator("#recognitions tbody tr", has_text=COMMENDATION)
    expect(record).to_contain_text("表彰奖励")
    expect(record).to_contain_text("依据第二十三条")
    expect(record).to_contain_text("宜院发〔2026〕31号")
    shot(page, "assessment-yc-commendation")


def test_wuhai_city_sets_the_standard_and_a_district_inspects_its_schools(
    page: Page, demo: Any, login: Any, nav: Any, shot: Any
) -> None:
    """乌教发〔2023〕97号: 各区教育局按照市教育局的考核标准,对所属学校进行督导考核; the pack sets no indicators."""
    desk = Desk(page, login, nav, shot)
    kind = "教育信息化工作督导考核"
    city = demo.unit("wh")
    desk.sign_in(account(demo, Role.BUREAU_ADMIN, "wh").username)

    # 1. The city builds the standard: the pack has none, so 新建并编辑 starts an empty template.
    desk.nav(page, "考核评价")
    page.get_by_role("link", name="指标模板").click()
    row = page.locator("#pack-cycles tbody tr", has_text=kind)
    expect(row).to_contain_text("未规定,须自行制定")
    row.get_by_role("link", name="查看").click()
    copy = page.locator("#copy-form")
    copy.get_by_label("复制到").select_option(label=city.name)
    desk.submit(page.locator("#copy-submit"))
    desk.success("已复制为第1版")
    rows = page.locator("#indicator-rows tr")
    indicators = [
        ("信息化基础设施与应用环境", "30"),
        ("信息技术与教育教学融合", "30"),
        ("教师与学生信息素养", "20"),
        ("网络安全与数据安全", "20"),
    ]
    for i, (name, weight) in enumerate(indicators):
        rows.nth(i).get_by_label("指标名称").fill(name)
        rows.nth(i).get_by_label("权重").fill(weight)
    page.get_by_label("合格分数线").fill("60")
    grades = page.locator("#grade-rows tr")
    for i, (name, minimum) in enumerate((("合格", "60"), ("不合格", "0"))):
        grades.nth(i).get_by_label("等级名称").fill(name)
        grades.nth(i).get_by_label("最低分").fill(minimum)
    shot(page, "assessment-wh-template-edit")
    desk.submit(page.locator("#template-save"))
    desk.success("指标模板已保存。")
    expect(page.locator("body")).to_contain_text("网络安全与数据安全")
    template_label = f"{city.name} · {kind}(第1版)"

    # 2. The city may not run the inspection itself (a district bureau does) ...
    desk.nav(page, "考核评价")
    page.click("#cycle-new")
    with page.expect_navigation():
        page.locator("#id_org").select_option(label=city.name)
    form = page.locator("#cycle-form")
    form.get_by_label("考核类别(制度方案)").select_option(label=kind)
    form.get_by_label("指标模板").select_option(label=template_label)
    desk.submit(page.locator("#cycle-submit"))
    expect(page.locator("#cycle-form")).to_contain_text(f"按制度,“{kind}”由县级教育行政部门组织")

    # 3. ... 海勃湾区教育局 opens it with the city's standard for its schools.
    district = demo.unit("wh.haibowan")
    desk.sign_in(account(demo, Role.BUREAU_ADMIN, "wh.haibowan").username)
    create_cycle(desk, district.name, kind, template=template_label)
    schools = [u.name for u in district.walk() if u is not district]
    expect(page.locator('[data-kpi="assessed"]')).to_have_text(str(len(schools)))
    expect(page.locator("#cycle-summary")).to_contain_text(f"{kind}(第1版)")
    shot(page, "assessment-wh-cycle")


def unit_named(demo: Any, ref: str) -> Organization:
    return Organization.objects.get(name=demo.unit(ref).name, depth=1)
