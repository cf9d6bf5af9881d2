"""A county bureau administrator of 焦作 works on their own county: tree, Excel import, Excel export."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from educio.accounts.roles import Role
from educio.orgs.models import Organization

COUNTY = "jz.jiefang"  # 解放区教育局
OTHER_COUNTY = "jz.xiuwu"  # 修武县教育局

# Rows as a bureau clerk would type them, by the template's column headers. 上级单位 is left
# empty, so the rows go under the unit the import was opened for.
NEW_SCHOOLS: list[dict[str, str]] = [
    {
        "单位名称": "解放区新苑小学",
        "简称": "新苑小学",
        "类别": "学校",
        "学校类型": "小学",
        "学校标识码": "2410802901",
        "行政区划代码": "410802",
        "地址": "焦作市解放区新苑路8号",
        "联系人": "李老师",
        "联系电话": "0391-2900001",
    },
    {
        "单位名称": "解放区映湖初级中学",
        "简称": "映湖中学",
        "类别": "学校",
        "学校类型": "初级中学",
        "学校标识码": "2410802902",
        "行政区划代码": "410802",
        "地址": "焦作市解放区映湖路2号",
        "联系人": "周老师",
        "联系电话": "0391-2900002",
    },
]
NEW_NAMES = {row["单位名称"] for row in NEW_SCHOOLS}


def open_county(page: Page, county_name: str) -> None:
    """Pick the county in the tree, as a user would, so the page acts on it."""
    page.locator("#org-tree a", has_text=county_name).first.click()
    expect(page.locator(".page-title")).to_contain_text(county_name)


def fill_template(template: Path, rows: list[dict[str, str]], target: Path) -> Path:
    """The downloaded template with its example row deleted and ``rows`` filled in under their headers."""
    workbook = load_workbook(template)
    sheet = workbook.active
    assert sheet is not None
    headers = [cell.value for cell in sheet[1]]
    assert {"上级单位", *NEW_SCHOOLS[0]} <= set(headers), headers
    assert sheet.cell(row=2, column=headers.index("单位名称") + 1).value == "示例第一小学", "an example row to delete"
    sheet.delete_rows(2)
    for row in rows:
        sheet.append([row.get(str(header), "") for header in headers])
    workbook.save(target)
    return target


def download_template(page: Page, save_download: Any) -> Path:
    with page.expect_download() as info:
        page.click("#download-template")
    return save_download(info.value, keep_as="orgs-import-template.xlsx")


def test_county_admin_imports_two_schools_and_exports_only_the_county(
    page: Page,
    live_url: str,
    demo: Any,
    login: Any,
    nav: Any,
    shot: Any,
    save_download: Any,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    admin = demo.account(Role.BUREAU_ADMIN, COUNTY)
    county = demo.unit(COUNTY)
    own_schools = demo.school_names(COUNTY)
    other_schools = demo.school_names(OTHER_COUNTY)

    login(page, admin.username)
    nav(page, "单位管理")
    tree, table = page.locator("#org-tree"), page.locator("#org-table")
    for name in own_schools:
        expect(tree).to_contain_text(name)
        expect(table).to_contain_text(name)
    for name in other_schools | {"焦作市教育局", "修武县教育局", "乌海市教育局"}:
        expect(tree).not_to_contain_text(name)
    for name in other_schools:
        expect(table).not_to_contain_text(name)
    expect(table.locator("tbody tr")).to_have_count(len(own_schools) + 1)
    shot(page, "orgs-county-admin-list")

    open_county(page, county.name)
    page.click("#import-orgs")
    expect(page.locator(".page-title")).to_contain_text(f"向“{county.name}”导入单位")
    template = download_template(page, save_download)
    upload = fill_template(template, NEW_SCHOOLS, tmp_path / "两所新学校.xlsx")
    shutil.copy2(upload, artifacts / "orgs-import-filled.xlsx")
    page.set_input_files("#id_file", str(upload))
    shot(page, "orgs-import-form")
    page.click("#upload-button")

    expect(page.locator(".alert-success")).to_contain_text("导入成功,新增 2 个单位。")
    for name in NEW_NAMES:
        expect(page.locator("#org-table")).to_contain_text(name)
    shot(page, "orgs-import-success")

    nav(page, "单位管理")
    with page.expect_download() as info:
        page.click("#export-orgs")
    exported = save_download(info.value, keep_as="orgs-export-county-admin.xlsx")
    sheet = load_workbook(exported).active
    assert sheet is not None
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names >= NEW_NAMES
    assert not names & demo.names_outside(COUNTY)
    assert names == own_schools | {county.name} | NEW_NAMES


def test_import_with_a_bad_row_lists_the_errors_and_saves_nothing(
    page: Page, live_url: str, demo: Any, login: Any, nav: Any, shot: Any, save_download: Any, tmp_path: Path
) -> None:
    admin = demo.account(Role.BUREAU_ADMIN, COUNTY)
    county = demo.unit(COUNTY)
    good = NEW_SCHOOLS[0]  # sheet row 2
    bad_kind = {**NEW_SCHOOLS[1], "类别": "幼儿园"}  # row 3: not a kind of unit
    bad_code = {**NEW_SCHOOLS[1], "单位名称": "解放区映湖第二初级中学", "学校标识码": "12345"}  # row 4: not 10 digits
    units_before = Organization.objects.count()

    login(page, admin.username)
    nav(page, "单位管理")
    open_county(page, county.name)
    page.click("#import-orgs")
    template = download_template(page, save_download)
    filled = fill_template(template, [good, bad_kind, bad_code], tmp_path / "有错误.xlsx")
    page.set_input_files("#id_file", str(filled))
    page.click("#upload-button")

    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()
    expect(errors.locator(".card-title")).to_contain_text("未保存任何数据")
    cells = [[c.strip() for c in row.locator("td").all_inner_texts()] for row in errors.locator("tbody tr").all()]
    by_row = {(row[1], row[2]) for row in cells}
    assert ("3", "类别") in by_row, cells
    assert ("4", "学校标识码") in by_row, cells
    assert {row[1] for row in cells} == {"3", "4"}, f"the good row 2 has no error: {cells}"
    assert all(row[0] == "单位导入模板" for row in cells), "each error names its sheet"
    assert any("幼儿园" in row[3] for row in cells)
    shot(page, "orgs-import-errors")

    nav(page, "单位管理")
    for row in (good, bad_kind, bad_code):
        expect(page.locator("#org-table")).not_to_contain_text(row["单位名称"])
    assert Organization.objects.count() == units_before
