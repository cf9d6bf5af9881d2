"""Factories for accounts and role assignments."""

from __future__ import annotations

from typing import Any

import factory

from educio.accounts.models import RoleAssignment, User
from educio.orgs.models import Organization

DEFAULT_PASSWORD = "Educio-Test-2024"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "bureau_admin"


def user_with_role(role: str, organization: Organization, **user_fields: Any) -> User:
    """An account holding ``role`` at ``organization`` (and so over its subtree)."""
    user = UserFactory(**user_fields)
    RoleAssignmentFactory(user=user, role=role, organization=organization)
    return user
