"""Fixtures shared by every app's tests: a small two-jurisdiction tree and users on it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from educio.accounts.tests.factories import user_with_role
from educio.orgs.models import BureauLevel, Organization, SchoolType
from educio.orgs.tests.factories import BureauFactory, SchoolFactory


@dataclass
class Tree:
    """Two cities; the first has two counties with schools, the second one county with one school."""

    city: Organization
    county: Organization
    other_county: Organization
    school: Organization
    sibling_school: Organization
    other_school: Organization
    far_city: Organization
    far_county: Organization
    far_school: Organization


@pytest.fixture
def tree(db: None) -> Tree:
    city = BureauFactory(name="甲市教育局", bureau_level=BureauLevel.CITY, region_code="410800")
    county = BureauFactory(parent=city, name="甲市一区教育局", bureau_level=BureauLevel.COUNTY, region_code="410802")
    other_county = BureauFactory(parent=city, name="甲市二县教育局", bureau_level=BureauLevel.COUNTY)
    school = SchoolFactory(parent=county, name="一区第一小学")
    sibling_school = SchoolFactory(parent=county, name="一区第二中学", school_type=SchoolType.JUNIOR)
    other_school = SchoolFactory(parent=other_county, name="二县实验小学")
    far_city = BureauFactory(name="乙市教育局")
    far_county = BureauFactory(parent=far_city, name="乙市三区教育局", bureau_level=BureauLevel.COUNTY)
    far_school = SchoolFactory(parent=far_county, name="三区第一中学", school_type=SchoolType.SENIOR)
    return Tree(
        *(
            Organization.objects.get(pk=o.pk)
            for o in (
                city,
                county,
                other_county,
                school,
                sibling_school,
                other_school,
                far_city,
                far_county,
                far_school,
            )
        )
    )


@pytest.fixture
def county_admin(tree: Tree):
    return user_with_role("bureau_admin", tree.county, username="county_admin")


@pytest.fixture
def city_admin(tree: Tree):
    return user_with_role("bureau_admin", tree.city, username="city_admin")
