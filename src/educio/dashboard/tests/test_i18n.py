"""English is available through the language switch; Simplified Chinese stays the default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request in English leaves "en" active in this thread; later tests expect the default.
    yield
    translation.deactivate()


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_compiled_english_catalog_is_present() -> None:
    assert (CATALOG / "django.po").is_file()
    assert (CATALOG / "django.mo").is_file()


def test_chinese_is_the_default(county_admin: Any) -> None:
    html = page(signed_in(county_admin), "/orgs/")

    assert '<html lang="zh-hans">' in html
    assert "<title>单位管理 - EduCIO 教育信息化管理平台</title>" in html
    assert ">工作台<" in html
    assert "Organisations" not in html


def test_switching_to_english_translates_the_pages(county_admin: Any) -> None:
    client = signed_in(county_admin)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    html = page(client, "/orgs/")
    assert '<html lang="en">' in html
    assert "<title>Organisations - EduCIO Education Informatization Management Platform</title>" in html
    assert ">Dashboard<" in html  # navigation, lazily translated in Python
    assert "Export to Excel" in html  # page action, {% translate %} in the template
    assert "Organisation structure" in html
    assert "单位管理" not in html
    assert "导出 Excel" not in html

    # Other pages follow the same choice.
    assert '<h2 class="page-title">Dashboard</h2>' in page(client, "/")


def test_switching_back_to_chinese(county_admin: Any) -> None:
    client = signed_in(county_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/orgs/"})

    html = page(client, "/orgs/")
    assert "<title>单位管理 - EduCIO 教育信息化管理平台</title>" in html
    assert "Organisations" not in html


def test_terms_placeholders_and_plurals_in_english() -> None:
    with translation.override("en"):
        assert translation.gettext("首席信息官") == "Chief Information Officer (CIO)"
        assert translation.gettext("学校标识码") == "MOE school code"
        assert translation.gettext("行政区划代码") == "Region code"
        assert translation.gettext("限期整改") == "Rectification with deadline"
        assert translation.gettext("已移动到“%(p)s”之下。") % {"p": "X"} == "Moved under “X”."
        one = translation.ngettext("发现 %(n)s 处错误,未保存", "发现 %(n)s 处错误,未保存", 1) % {"n": 1}
        many = translation.ngettext("发现 %(n)s 处错误,未保存", "发现 %(n)s 处错误,未保存", 3) % {"n": 3}
    assert one == "1 error found; nothing was saved"
    assert many == "3 errors found; nothing was saved"
