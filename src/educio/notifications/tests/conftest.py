"""Fixtures of this app's tests; shared helpers live in educio.testing."""

from __future__ import annotations

from typing import Any

import pytest

from educio.testing.fixtures import fast_password_hashing  # noqa: F401 - an autouse fixture

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    """The e-mail task runs in the test's process when the send commits, so mail.outbox shows it."""
    settings.TASKS = IMMEDIATE_TASKS
