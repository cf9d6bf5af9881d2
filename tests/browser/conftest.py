"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every test in this folder is marked ``browser`` (``make test-fast`` leaves them
out). The browser is the system one (``make browsers`` installs it with
apt-get); ``playwright install`` is never needed and never run. Screenshots of
the important pages go to ``test-artifacts/`` so a person can look at them.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from playwright.sync_api import Download, Page

from educio.orgs.demo_data import DEMO_PASSWORD, DemoAccount, DemoUnit, all_accounts, all_units
from educio.orgs.models import OrgKind

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("EDUCIO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=zh-CN",  # the browser's own controls (date pickers, file inputs) in Chinese, as on a bureau PC
]
DEFAULT_TIMEOUT_MS = 15_000


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright 0.10 declares its session-scoped ``base_url`` fixture as a method,
    # which pytest 9 deprecates; nothing of ours is concerned.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
    )
    # WhiteNoise warns when STATIC_ROOT is missing, once per handler; the live server builds its
    # handler before any function-scoped fixture runs, so the folder is made here.
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The hook sees every collected item of the session, not only this folder's.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `make browsers` (apt-get install chromium fonts-noto-cjk) as root")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A bureau office desktop: Chinese browser, Beijing time, a common laptop screen.
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """Playwright's page, failing the test on a script error or a CSP violation in any page it opened.

    Error statuses the tests ask for (404 outside the scope, 429 when locked, 400 for a
    rejected import) also appear in the console as "Failed to load resource"; those are not errors here.
    """
    problems: list[str] = []
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield page
    assert not problems, "the pages reported errors:\n" + "\n".join(problems)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    # The live server serves static files through the finders (src/educio/static,
    # with the vendored npm assets); a manifest storage would want collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def _vendored_assets() -> None:
    vendor = HERE.parent.parent / "src" / "educio" / "static" / "vendor"
    needed = ("tabler/tabler.min.css", "tabler/tabler.min.js", "echarts/echarts.min.js", "htmx/htmx.min.js")
    missing = [p for p in needed if not (vendor / p).exists()]
    if missing:
        pytest.fail(f"front-end assets missing in {vendor}: {', '.join(missing)} (run `make install`)")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def shot(artifacts: Path) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as ``test-artifacts/<name>.png``."""

    def take(page: Page, name: str) -> Path:
        target = artifacts / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return take


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


def safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")


@pytest.fixture
def save_download(downloads: Path, artifacts: Path) -> Callable[..., Path]:
    """Keep a Playwright download in the test's temp folder, and a copy as ``test-artifacts/<keep_as>``."""

    def save(download: Download, keep_as: str = "") -> Path:
        target = downloads / safe_name(download.suggested_filename)
        download.save_as(target)
        if keep_as:
            shutil.copy2(target, artifacts / keep_as)
        return target

    return save


@pytest.fixture
def live_url(live_server: Any, _vendored_assets: None) -> str:
    return str(live_server.url)


class Demo:
    """The demo jurisdictions as ``manage.py load_demo`` creates them, looked up by ref and role."""

    password = DEMO_PASSWORD

    def __init__(self) -> None:
        self.units = {unit.ref: unit for unit, _parent in all_units()}
        self.accounts = all_accounts()

    def unit(self, ref: str) -> DemoUnit:
        return self.units[ref]

    def account(self, role: str, unit_ref: str) -> DemoAccount:
        """The demo login holding ``role`` at the unit ``unit_ref`` (never a guessed username)."""
        matches = [a for a in self.accounts if a.role == role and a.unit_ref == unit_ref]
        assert len(matches) == 1, f"expected one demo {role} at {unit_ref}, found {matches}"
        return matches[0]

    def school_names(self, ref: str) -> set[str]:
        """Names of the schools in the subtree of the unit ``ref``."""
        return {u.name for u in self.unit(ref).walk() if u.kind == OrgKind.SCHOOL}

    def names_outside(self, ref: str) -> set[str]:
        inside = {u.ref for u in self.unit(ref).walk()}
        return {u.name for r, u in self.units.items() if r not in inside}


@pytest.fixture
def demo(transactional_db: None) -> Demo:
    """The demo data, loaded through the real command (the live server's tests flush it after each test)."""
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    return Demo()


@pytest.fixture
def login(live_url: str) -> Callable[..., Any]:
    """Log in through the real login page; returns the page on the landing page."""

    def submit(page: Page, username: str, password: str = DEMO_PASSWORD, *, expect_success: bool = True) -> Page:
        page.goto(f"{live_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("#login-button")
        if expect_success:
            assert "/accounts/login/" not in page.url, (
                f"{username} could not log in: {page.locator('main, body').first.inner_text()[:300]}"
            )
        return page

    return submit


@pytest.fixture
def nav() -> Callable[[Page, str], None]:
    """Follow an entry of the sidebar menu, as a user would."""

    def follow(page: Page, label: str) -> None:
        page.locator("#sidebar-menu").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()

    return follow
