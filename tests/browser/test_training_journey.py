"""贺兰 第十六条: 首席信息官每年参加不少于1次集中培训 — the county trains its CIOs and sees who is missing.

The demo's county CIO training of this year was missed by one CIO, so the compliance page
names that CIO. 贺兰县教育体育局 organises a second centralised CIO training, enrols the CIO
(and a head who then does not come), records attendance and results, issues the CIO
certificates, and the compliance page shows nobody missing any more; the certificate is on
the person's page.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from educio.accounts.models import User
from educio.accounts.roles import Role
from educio.appointments.models import Appointment, AppointmentStatus
from educio.people.models import Person
from educio.training.models import Attendance, Enrollment

TITLE = "贺兰县中小学首席信息官集中培训(补训)"
PLACE = "贺兰县教师发展中心二楼报告厅"


def compliance_kpi(page: Page, key: str) -> str:
    return page.locator(f'[data-kpi="{key}"]').inner_text()


def record(page: Page, name: str, attendance: str, hours: str, result: str, *, refused: str = "") -> None:
    """One enrolment row: 出勤, 学时, 结果, then 保存 (saved, or refused with ``refused``)."""
    row = page.locator("#enrollment-table tbody tr", has_text=name)
    form = row.locator("form.record-form")
    form.get_by_label("出勤").select_option(label=attendance)
    form.get_by_label("学时").fill(hours)
    form.get_by_label("结果").select_option(label=result)
    with page.expect_navigation():
        form.get_by_role("button", name="保存").click()
    if refused:
        expect(page.locator(".alert-danger")).to_contain_text(f"未保存:{refused}")
    else:
        expect(page.locator(".alert-success")).to_contain_text(f"已登记{name}的考勤与结果。")


def test_helan_county_trains_its_cios_and_sees_who_is_missing(
    page: Page, demo: Any, live_url: str, login: Any, nav: Any, shot: Any
) -> None:
    today = timezone.localdate()
    admin = User.objects.get(username=demo.account(Role.BUREAU_ADMIN, "hl").username)
    missed = Enrollment.objects.select_related("person__organization").get(
        event__organiser__name=demo.unit("hl").name, event__centralised=True, attendance=Attendance.ABSENT
    )
    cio = missed.person
    assert Appointment.objects.filter(person=cio, status=AppointmentStatus.ACTIVE).exists()
    head = Person.objects.get(organization__name=demo.unit("hl.s1").name, name="杨志刚")  # no CIO post

    # 1. 培训合规: this year, one CIO is missing the centralised training (第十六条).
    login(page, admin.username)
    nav(page, "培训管理")
    page.get_by_role("link", name="培训合规").click()
    expect(page.locator(".page-title")).to_contain_text(f"培训合规情况 · {demo.unit('hl').name}")
    expect(page.locator("#requirement-info")).to_contain_text("每年不少于1次集中培训")
    total = int(compliance_kpi(page, "total"))
    assert compliance_kpi(page, "missing") == "1"
    page.locator('[data-kpi="missing"]').click()
    missing = page.locator("#compliance-table tbody tr")
    expect(missing).to_have_count(1)
    expect(missing.first).to_contain_text(cio.name)
    expect(missing.first).to_contain_text("缺训")
    shot(page, "training-compliance-before")

    # 2. 新建培训: a one-day centralised county CIO training, giving the CIO training certificate.
    nav(page, "培训管理")
    page.click("#new-event")
    form = page.locator("#event-form")
    form.get_by_label("培训名称").fill(TITLE)
    form.get_by_label("培训级别").select_option(label="县级")
    form.get_by_label("培训类别").select_option(label="CIO培训")
    expect(form.get_by_label("集中培训")).to_be_checked()
    form.get_by_label("开始日期").fill(today.isoformat())
    form.get_by_label("结束日期").fill(today.isoformat())
    form.get_by_label("学时").fill("8")
    form.get_by_label("培训地点").fill(PLACE)
    form.get_by_label("颁发合格证").check()
    form.get_by_label("证书类别").select_option(label="CIO培训合格证")
    shot(page, "training-new")
    with page.expect_navigation():
        form.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已创建培训“{TITLE}”。")
    expect(page.locator("#event-info")).to_contain_text(PLACE)

    # 3. Enrol the CIO who missed the first one, and a head.
    for person in (cio, head):
        page.locator("#candidate-q").fill(person.name)
        with page.expect_navigation():
            page.locator("#candidate-filter").get_by_role("button", name="查找").click()
        page.locator("#enrol-form").get_by_label(person.name, exact=True).check()
        with page.expect_navigation():
            page.click("#enrol-button")
        expect(page.locator(".alert-success")).to_contain_text("已报名 1 人。")
    expect(page.locator("#enrollment-table tbody tr")).to_have_count(2)

    # 4. Attendance and results: the CIO came and passed, the head did not come.
    record(page, cio.name, "已参训", "8", "合格")
    record(page, head.name, "缺勤", "0", "未评定", refused="未参训的人员不计学时。")
    record(page, head.name, "缺勤", "", "未评定")
    expect(page.locator("#event-numbers")).to_contain_text("2 / 1")
    shot(page, "training-attendance")

    # 5. Certificates for those who passed.
    issue = page.locator("#issue-all button")
    expect(issue).to_have_text("为合格人员发放合格证(1人)")
    with page.expect_navigation():
        issue.click()
    expect(page.locator(".alert-success")).to_contain_text("已发放合格证 1 张。")
    certified = page.locator("#enrollment-table tbody tr", has_text=cio.name).locator("[data-certificate]")
    number = certified.inner_text()
    assert number, "the certificate has a number"
    expect(page.locator("#enrollment-table tbody tr", has_text=head.name)).not_to_contain_text(number)
    expect(page.locator("#cancel-event")).to_have_count(0)  # certificates were given: no cancelling
    shot(page, "training-certificates")

    # 6. Nobody is missing this year's training any more.
    page.goto(f"{live_url}/training/compliance/")
    expect(page.locator('[data-kpi="missing"]')).to_have_text("0")
    expect(page.locator('[data-kpi="compliant"]')).to_have_text(str(total))
    row = page.locator("#compliance-table tbody tr", has_text=cio.name)
    expect(row).to_contain_text("合规")
    expect(page.locator("#compliance-chart canvas")).to_have_count(1)
    shot(page, "training-compliance-after")

    # 7. The certificate is in the CIO's record.
    page.goto(f"{live_url}/people/{cio.pk}/")
    expect(page.locator("#person-training-table")).to_contain_text(TITLE)
    shot(page, "training-person-certificate")
    certificate = page.locator("#certificate-table tbody tr", has_text=number).locator("td")
    expect(certificate.nth(0)).to_have_text("CIO培训合格证")  # the kind's name, not its code
    expect(certificate.nth(1)).to_have_text("县级")
    shot(page, "training-person-certificate")
