"""Filters of the dashboard's tables."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization, OrgKind, SchoolType

# The kinds a pack can require the post of (a bureau or a department never has a CIO of its own so far).
POST_UNIT_KINDS = [(k.value, k.label) for k in (OrgKind.SCHOOL, OrgKind.UNIVERSITY)]


class CoverageGapFilterSet(django_filters.FilterSet):
    """Keyword and kind on the units without a CIO (the county is chosen with ``org``, as on the coverage page)."""

    q = django_filters.CharFilter(label=_("关键字"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=POST_UNIT_KINDS, empty_label=_("全部类别"))
    school_type = django_filters.ChoiceFilter(
        label=_("学校类型"), choices=SchoolType.choices, empty_label=_("全部类型")
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "school_type"]

    def search(self, queryset: QuerySet[Organization], name: str, value: Any) -> QuerySet[Organization]:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(moe_code__startswith=value)
        )
