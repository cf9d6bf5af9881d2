"""Fixtures shared by every app's tests: a small two-jurisdiction tree and users on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

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


@pytest.fixture(scope="session", autouse=True)
def _uploads_stay_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploaded photos and scans land in a temporary folder, never in the developer's var/media.

    Session-wide, so that files made by module-wide fixtures (the permission matrix) are found later.
    """
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield
