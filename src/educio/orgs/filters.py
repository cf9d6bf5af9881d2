"""Filters of the organisation table."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from educio.listing import ActiveStatusSelect
from educio.orgs.models import BureauLevel, Organization, OrgKind, SchoolType


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=OrgKind.choices, empty_label=_("全部类别"))
    school_type = django_filters.ChoiceFilter(
        label=_("学校类型"), choices=SchoolType.choices, empty_label=_("全部类型")
    )
    bureau_level = django_filters.ChoiceFilter(
        label=_("行政级别"), choices=BureauLevel.choices, empty_label=_("全部级别")
    )
    is_active = django_filters.BooleanFilter(label=_("状态"), widget=ActiveStatusSelect)
    region_code = django_filters.CharFilter(label=_("行政区划代码"), lookup_expr="startswith")

    class Meta:
        model = Organization
        fields = ["q", "kind", "school_type", "bureau_level", "is_active", "region_code"]

    def search(self, queryset: QuerySet[Organization], name: str, value: Any) -> QuerySet[Organization]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(moe_code__startswith=value)
        )
