"""Fixtures shared by every app's tests: a small two-jurisdiction tree and users on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from educio.accounts.tests.factories import user_with_role
from educio.testing.fixtures import fast_password_hashing  # noqa: F401 - autouse: argon2 is slow by design
from educio.testing.tree import Tree, build_tree


@pytest.fixture
def tree(db: None) -> Tree:
    """Two cities; the first has two counties with schools, the second one county with one school."""
    return build_tree()


@pytest.fixture
def county_admin(tree: Tree):
    return user_with_role("bureau_admin", tree.county, username="county_admin")


@pytest.fixture
def city_admin(tree: Tree):
    return user_with_role("bureau_admin", tree.city, username="city_admin")


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists() -> None:
    """WhiteNoise warns on every request when STATIC_ROOT is missing; collectstatic is not part of tests."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def _test_media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _uploads_stay_in_tmp(_test_media_root: Path, settings) -> None:  # noqa: ANN001 - pytest-django's fixture
    """Uploaded photos and scans land in a temporary folder, never in the developer's var/media."""
    settings.MEDIA_ROOT = str(_test_media_root)
