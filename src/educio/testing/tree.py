"""The two-jurisdiction tree of conftest.py, for fixtures that are not function-scoped.

conftest.py's ``tree`` fixture builds the same units for one test; a module
that runs hundreds of tests over one tree (the permission matrix) builds it
once with :func:`build_tree` inside a module-wide transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

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


def build_tree() -> Tree:
    """The units of conftest.py's ``tree``, with the same names."""
    city = BureauFactory(name="甲市教育局", bureau_level=BureauLevel.CITY, region_code="410800")
    county = BureauFactory(parent=city, name="甲市一区教育局", bureau_level=BureauLevel.COUNTY, region_code="410802")
    other_county = BureauFactory(parent=city, name="甲市二县教育局", bureau_level=BureauLevel.COUNTY)
    school = SchoolFactory(parent=county, name="一区第一小学")
    sibling_school = SchoolFactory(parent=county, name="一区第二中学", school_type=SchoolType.JUNIOR)
    other_school = SchoolFactory(parent=other_county, name="二县实验小学")
    far_city = BureauFactory(name="乙市教育局")
    far_county = BureauFactory(parent=far_city, name="乙市三区教育局", bureau_level=BureauLevel.COUNTY)
    far_school = SchoolFactory(parent=far_county, name="三区第一中学", school_type=SchoolType.SENIOR)
    units = (city, county, other_county, school, sibling_school, other_school, far_city, far_county, far_school)
    return Tree(*(Organization.objects.get(pk=cast(Organization, o).pk) for o in units))
