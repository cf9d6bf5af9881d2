"""The permission matrix's proof that a refused request wrote nothing must itself be able to fail."""

from __future__ import annotations

import pytest

from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.orgs.tests.factories import SchoolFactory
from educio.testing.db import writes_recorded

pytestmark = pytest.mark.django_db


def test_a_write_to_an_educio_table_is_recorded(tree) -> None:
    with writes_recorded() as writes:
        SchoolFactory(parent=tree.county, name="越权写入的学校")
    assert writes
    assert any("orgs_organization" in sql for sql in writes)


def test_reads_and_security_events_are_not_writes(tree) -> None:
    with writes_recorded() as writes:
        list(type(tree.school).objects.filter(path__startswith=tree.city.path))
        security_event_record(kind=EventKind.LOGIN, user=None, detail="尝试")
    assert writes == []
