"""Orders and evidence for the project-wide permission matrix (registered in ``educio.testing.makers``).

Each order sits at a school of its own under ``ctx.org`` (the school is what
the order concerns; ``ctx.org`` issued it), open, so every action of the
order page applies. Written with the ORM: the matrix's owner may hold a role
that may not open orders through the services.
"""

from __future__ import annotations

from typing import Any, cast

from educio.orgs.models import Organization
from educio.orgs.tests.factories import SchoolFactory
from educio.people.models import Person
from educio.rectifications.models import RectificationEvidence, RectificationOrder
from educio.rectifications.tests.factories import add_evidence, make_order


def order(ctx: Any) -> RectificationOrder:
    school = cast(Organization, SchoolFactory(parent=ctx.org, name=f"{ctx.label}学校"))
    school = Organization.objects.get(pk=school.pk)
    person = Person.objects.create(organization=school, name=f"{ctx.label}责任人", created_by=ctx.owner)
    return make_order(school, issuer=ctx.org, person=person, findings=f"{ctx.label}存在的问题")


def evidence(ctx: Any) -> RectificationEvidence:
    return add_evidence(order(ctx), name=f"{ctx.label}佐证.pdf", by=ctx.owner)
