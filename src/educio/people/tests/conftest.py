"""Fixtures of the people tests: uploads go to a temporary media directory."""

from __future__ import annotations

from typing import Any

import pytest

from educio.testing.fixtures import fast_password_hashing  # noqa: F401 - an autouse fixture


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Photos and scans written by a test land in its own directory, not in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
