"""Fixtures of this app's tests; shared helpers live in educio.testing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from educio.testing.fixtures import fast_password_hashing  # noqa: F401 - an autouse fixture

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _files_and_tasks_stay_in_the_test(settings: Any, tmp_path: Path) -> None:
    """Uploaded and exported files go to a temporary folder; tasks run at once, in the test's process."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS
