"""Factories for the organisation tree (treebeard nodes are created through add_root/add_child)."""

from __future__ import annotations

from typing import Any

import factory

from educio.orgs.models import BureauLevel, Organization, OrgKind, SchoolType


class OrganizationFactory(factory.django.DjangoModelFactory):
    """``OrganizationFactory(parent=county)`` adds a child; without ``parent`` it adds a root bureau."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrgKind.BUREAU
    bureau_level = BureauLevel.CITY
    school_type = ""
    region_code = "410800"

    @classmethod
    def _create(
        cls, model_class: type[Organization], *args: Any, parent: Organization | None = None, **kwargs: Any
    ) -> Organization:
        instance = model_class(**kwargs)
        if parent is None:
            return Organization.objects.add_root(instance=instance)
        parent = Organization.objects.get(pk=parent.pk)
        return Organization.objects.add_child(parent, instance=instance)


class BureauFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"测试教育局{n}")


class SchoolFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"测试第{n}小学")
    kind = OrgKind.SCHOOL
    bureau_level = ""
    school_type = SchoolType.PRIMARY
    moe_code = factory.Sequence(lambda n: f"{2141000000 + n}")
