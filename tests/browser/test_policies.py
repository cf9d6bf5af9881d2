"""A 焦作 bureau administrator reads the 焦作 pack (each rule beside its article) and uploads a broken pack."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from educio.accounts.roles import Role
from educio.policies.services import PACKS_DIR


@pytest.fixture
def demo_with_packs(demo: Any) -> Any:
    call_command("load_packs", adopt_demo=True, stdout=io.StringIO(), stderr=io.StringIO())
    return demo


def test_bureau_admin_reads_the_jiaozuo_pack_and_sees_a_broken_upload_refused(
    page: Page, live_url: str, demo_with_packs: Any, login: Any, shot: Any
) -> None:
    admin = demo_with_packs.account(Role.BUREAU_ADMIN, "jz")
    login(page, admin.username)
    page.goto(f"{live_url}/policies/")
    page.get_by_role("link", name="焦作市教育局关于在全市中小学设立首席教育信息官（CIO）的通知").click()
    expect(page.locator(".page-title")).to_contain_text("焦作市教育局关于在全市中小学设立首席教育信息官（CIO）的通知")
    expect(page.locator("#pack-adoptions")).to_contain_text("焦作市教育局")

    rule = page.locator("#rule-eligibility-training_or_experience")
    expect(rule).to_contain_text("持有县级及以上CIO培训合格证")
    expect(rule).to_contain_text("第二条(二)")
    expect(rule).to_contain_text("参加过国家、省、市、县举办的首席信息官（CIO）培训并取得合格证者")
    chain = page.locator("#chain-cio_nomination-county_review")
    expect(chain).to_contain_text("县级教育行政部门")
    expect(chain).to_contain_text("盖章")
    shot(page, "policies-jiaozuo-pack")

    broken = (PACKS_DIR / "jiaozuo-2022.yaml").read_text(encoding="utf-8")
    broken = broken.replace("id: jiaozuo-2022", "id: jiaozuo-local").replace(
        "actor: {level: county_bureau, role: bureau_reviewer}", "actor: {level: town, role: bureau_reviewer}"
    )
    line = next(i for i, text in enumerate(broken.splitlines(), start=1) if "level: town" in text)
    page.goto(f"{live_url}/policies/upload/")
    page.set_input_files(
        "#id_file", files=[{"name": "jiaozuo-local.yaml", "mimeType": "application/x-yaml", "buffer": broken.encode()}]
    )
    page.select_option("#id_owner", label="焦作市教育局(市级教育行政部门)")
    page.click("#upload-button")
    errors = page.locator("#pack-errors")
    expect(errors).to_contain_text(
        f"jiaozuo-local.yaml:{line}: review_chains.cio_nomination.steps[1].actor.level: 未知的级别 'town'"
    )
    shot(page, "policies-upload-broken-pack")

    page.goto(f"{live_url}/policies/")
    expect(page.locator("#pack-table")).not_to_contain_text("jiaozuo-local")


def test_university_admin_filters_compliance_by_rule(
    page: Page, live_url: str, demo_with_packs: Any, login: Any, shot: Any
) -> None:
    admin = demo_with_packs.account(Role.BUREAU_ADMIN, "yc")
    login(page, admin.username)
    page.goto(f"{live_url}/policies/compliance/")
    expect(page.locator("#compliance-summary")).to_contain_text("第十六条")
    page.locator("#compliance-summary").get_by_role(
        "link", name="每个部门/学院指定信息化联络员1名(各部门和教学院指定的1名负责人)"
    ).click()
    table = page.locator("#compliance-table")
    expect(table).to_contain_text("数学与计算机科学学院")
    expect(table).to_contain_text("已指定信息化联络员0名,要求1名")
    expect(table).not_to_contain_text("暂无法评估")
    shot(page, "policies-compliance-liaisons")
