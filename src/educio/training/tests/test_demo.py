"""Demo trainings: loaded by ``load_demo``, idempotent, and showing 贺兰 CIOs who still miss this year's training."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from educio.accounts.models import User
from educio.orgs.models import Organization
from educio.people.models import Certificate
from educio.testing.fixtures import module_data
from educio.training import compliance
from educio.training.demo import load_demo_training
from educio.training.models import TrainingEvent


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    yield from module_data(django_db_blocker, lambda: call_command("load_demo", stdout=StringIO(), stderr=StringIO()))


@pytest.fixture
def demo(demo_data, db):
    return demo_data


def test_every_jurisdiction_has_trainings_and_a_second_load_adds_none(demo):
    organisers = set(TrainingEvent.objects.values_list("organiser__name", flat=True))
    assert {"贺兰县教育体育局", "焦作市教育局", "解放区教育局", "乌海市教育局", "宜春学院"} <= organisers
    before = TrainingEvent.objects.count()

    assert load_demo_training(User.objects.get(username="platform_admin")) == 0
    assert TrainingEvent.objects.count() == before


def test_helan_compliance_shows_most_cios_trained_and_some_missing(demo):
    helan = Organization.objects.get(depth=1, name="贺兰县教育体育局")
    admin = User.objects.get(username="platform_admin")
    (requirement,) = compliance.requirements_in_force(helan)

    report = compliance.compliance_report(
        user=admin, root=helan, year=timezone.localdate().year, requirement=requirement
    )

    assert report.total >= 2
    assert 0 < report.missing < report.total


def test_jiaozuo_city_training_gave_informatization_certificates(demo):
    issued = Certificate.objects.filter(
        kind="informatization_training", issuer="焦作市教育局", level="city", enrollment__isnull=False
    )
    assert issued.exists()
    assert all(c.enrollment.event.title.endswith("焦作市教育信息化业务培训") for c in issued)
