"""pytest fixtures shared by the apps' test packages (imported by their conftest.py or test module)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

T = TypeVar("T")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 costs ~150 ms per account; tests that create dozens of accounts use a cheap hasher."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


def module_data(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """Build data once for a whole test module, inside a transaction rolled back after its last test.

    Each test still runs in its own nested transaction (a savepoint, as with
    Django's ``setUpTestData``), so what one test writes never reaches the next.
    Use from a module-scoped fixture: ``yield from module_data(django_db_blocker, build)``.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                data = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
