"""A snapshot of every EduCIO row, to prove that a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from auditlog import get_logentry_model
from django.apps import apps
from django.db import connection
from django.db.models import Model

# Security events record attempts (refused ones included), so they may legitimately grow.
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


def db_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every EduCIO model and of the change log (read accesses aside), ordered by key."""
    snapshot: dict[str, list[dict[str, Any]]] = {}
    change_log = get_logentry_model()
    for model in _models():
        queryset = model._default_manager.order_by("pk")
        if model is change_log:
            queryset = queryset.exclude(action=change_log.Action.ACCESS)
        snapshot[model._meta.label_lower] = list(queryset.values())
    return snapshot


def snapshot_diff(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Human-readable differences between two snapshots (empty when nothing changed)."""
    changes: list[str] = []
    for label, rows in after.items():
        old = {r["id"] if "id" in r else repr(r): r for r in before.get(label, [])}
        new = {r["id"] if "id" in r else repr(r): r for r in rows}
        for key in new.keys() - old.keys():
            changes.append(f"{label}: new row {new[key]}")
        for key in old.keys() - new.keys():
            changes.append(f"{label}: deleted row {old[key]}")
        for key in new.keys() & old.keys():
            if new[key] != old[key]:
                fields = {f: (old[key].get(f), v) for f, v in new[key].items() if old[key].get(f) != v}
                changes.append(f"{label} #{key}: changed {fields}")
    return changes
