"""Proof that a refused request changed nothing: it did not even try to write to an EduCIO table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from auditlog import get_logentry_model
from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

# Security events record attempts (refused ones included), so a refused request may write them.
NOT_COMPARED = frozenset({"audit.securityevent"})


def _models() -> list[type[Model]]:
    tables = set(connection.introspection.table_names())
    found = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("educio.")
        and model._meta.label_lower not in NOT_COMPARED
        # A model whose migration is still being written has no table yet; makemigrations --check catches that.
        and model._meta.db_table in tables
    ]
    change_log = get_logentry_model()  # EduCIO's own (audit.ChangeLogEntry), so usually already listed
    return found if change_log in found else [*found, change_log]


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _watched_tables() -> frozenset[str]:
    return frozenset(model._meta.db_table for model in _models())


@contextmanager
def writes_recorded() -> Iterator[list[str]]:
    """The write statements (INSERT/UPDATE/DELETE) run on EduCIO's tables inside the block.

    Far cheaper than two snapshots of every table, and stricter: a refused request may not even try a write.
    """
    watched = _watched_tables()
    found: list[str] = []
    with CaptureQueriesContext(connection) as captured:
        yield found
    for query in captured.captured_queries:
        match = _WRITE.match(query["sql"])
        if match and match.group(1) in watched:
            found.append(query["sql"][:300])
