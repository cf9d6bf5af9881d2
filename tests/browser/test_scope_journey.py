"""A 乌海 school's head and CIO see their own school and nothing of another jurisdiction."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from educio.accounts.roles import Role
from educio.orgs.models import Organization

SCHOOL = "wh.haibowan.s1"  # 海勃湾区第一小学
FAR_SCHOOL = "jz.jiefang.s1"  # 解放区实验小学 (焦作)


@pytest.mark.parametrize("role", [Role.SCHOOL_HEAD, Role.CIO])
def test_school_user_sees_only_their_school(
    page: Page, live_url: str, demo: Any, login: Any, nav: Any, shot: Any, role: str
) -> None:
    account = demo.account(role, SCHOOL)
    school = demo.unit(SCHOOL)
    own = Organization.objects.get(moe_code=school.moe_code)
    far = Organization.objects.get(moe_code=demo.unit(FAR_SCHOOL).moe_code)
    jiaozuo = demo.unit("jz").walk()

    login(page, account.username)
    nav(page, "单位管理")
    expect(page.locator("#org-tree a")).to_have_count(1)
    expect(page.locator("#org-tree")).to_contain_text(school.name)
    rows = page.locator("#org-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(school.name)
    for unit in ("乌海市教育局", "海勃湾区第七小学", "焦作市教育局", "解放区实验小学"):
        expect(page.locator("#org-tree")).not_to_contain_text(unit)
    shot(page, f"orgs-{role}-own-school")

    response = page.goto(f"{live_url}/orgs/{far.pk}/")
    assert response is not None
    assert response.status == 404
    response = page.goto(f"{live_url}/orgs/{own.pk}/")
    assert response is not None
    assert response.status == 200
    expect(page.locator(".page-title")).to_contain_text(school.name)

    api = page.request.get(f"{live_url}/api/v1/orgs/")
    assert api.status == 200
    body = api.json()
    names = {item["name"] for item in body["items"]}
    assert names == {school.name}
    assert not names & {u.name for u in jiaozuo}
    assert all(item["path"].startswith(own.path) for item in body["items"])
    assert page.request.get(f"{live_url}/api/v1/orgs/{far.pk}").status == 404
