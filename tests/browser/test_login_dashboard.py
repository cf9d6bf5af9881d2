"""Login lock-out after five wrong passwords, and a bureau administrator's dashboard."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from educio.accounts.roles import Role
from educio.orgs.models import Organization, OrgKind


def test_five_wrong_passwords_lock_the_account(page: Page, live_url: str, demo: Any, login: Any, shot: Any) -> None:
    account = demo.account(Role.INSPECTOR, "jz")

    for attempt in range(1, 5):
        login(page, account.username, f"Wrong-Password-{attempt}", expect_success=False)
        expect(page.locator(".alert-danger")).to_contain_text("用户名或密码错误")
    shot(page, "login-wrong-password")

    login(page, account.username, "Wrong-Password-5", expect_success=False)
    expect(page.get_by_role("heading", name="账号已锁定")).to_be_visible()
    expect(page.locator("body")).to_contain_text("锁定30分钟")
    shot(page, "login-locked")

    # Even the right password is refused while the account is locked.
    login(page, account.username, demo.password, expect_success=False)
    expect(page.get_by_role("heading", name="账号已锁定")).to_be_visible()
    assert "/accounts/login/" in page.url


def test_bureau_admin_dashboard_shows_numbers_and_chart(
    page: Page, live_url: str, demo: Any, login: Any, shot: Any
) -> None:
    admin = demo.account(Role.BUREAU_ADMIN, "jz")
    city = Organization.objects.get(depth=1, name=demo.unit("jz").name)
    schools = Organization.objects.filter(path__startswith=city.path, kind=OrgKind.SCHOOL, is_active=True).count()

    login(page, admin.username)
    assert page.url.rstrip("/") == live_url.rstrip("/")
    expect(page.locator(".page-title")).to_contain_text("工作台")
    cards = page.locator("#summary-cards [data-count]")
    expect(cards.first).to_be_visible()
    expect(page.locator('#summary-cards [data-count="学校"]')).to_have_text(str(schools))
    chart = page.locator("#school-type-chart-el")
    expect(chart.locator("canvas")).to_have_count(1)
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 200
    assert box["height"] > 150
    shot(page, "dashboard-city-admin")
