"""Demo persons: loaded by ``load_demo``, once, and judged by their jurisdiction's rules as the demo tells."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from educio.accounts.models import User
from educio.orgs.models import Organization, OrgKind
from educio.people.demo import load_demo_people
from educio.people.models import Person
from educio.people.selectors import person_facts
from educio.policies.eligibility import Verdict, evaluate
from educio.policies.selectors import effective_pack
from educio.testing.fixtures import module_data


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo is loaded once for the module (it builds ~100 units and ~40 accounts)."""
    yield from module_data(django_db_blocker, lambda: call_command("load_demo", stdout=StringIO(), stderr=StringIO()))


@pytest.fixture
def demo(demo_data, db):
    return demo_data


def verdict(name: str, unit_name: str, attestations: tuple[str, ...] = ()) -> Verdict:
    person = Person.objects.select_related("organization").get(name=name, organization__name=unit_name)
    pack = effective_pack(person.organization)
    assert pack is not None
    return evaluate(pack, person_facts(person, attestations=attestations), post="cio").verdict


def test_every_demo_school_and_the_university_has_a_head_and_a_deputy(demo):
    units = Organization.objects.filter(kind__in=[OrgKind.SCHOOL, OrgKind.UNIVERSITY])
    counts = {u.name: Person.objects.filter(organization=u).count() for u in units}
    assert set(counts.values()) == {2}
    head = Person.objects.get(name="张海涛", organization__name="解放区实验小学")
    assert head.positions == ["school_head", "legal_representative"]
    assert head.certificates.get().kind == "cio_training"


def test_a_second_run_creates_nobody(demo):
    before = Person.objects.count()
    assert load_demo_people(User.objects.get(username="platform_admin")) == 0
    assert Person.objects.count() == before


def test_demo_persons_meet_or_miss_their_rules_as_the_demo_says(demo):
    assert verdict("张海涛", "解放区实验小学") == Verdict.PASS
    assert verdict("刘志强", "解放区实验小学", ("leadership_authorisation",)) == Verdict.PASS
    assert verdict("刘志强", "解放区实验小学") == Verdict.FAIL  # a deputy needs the leadership's authorisation
    assert verdict("杨志刚", "贺兰县第一中学") == Verdict.PASS
    assert verdict("黄国平", "宜春学院") == Verdict.PASS
    assert verdict("邓晓明", "宜春学院") == Verdict.FAIL
