from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from educio.accounts.models import User
from educio.accounts.roles import Role
from educio.listing import ActiveStatusSelect


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    role = django_filters.ChoiceFilter(
        label=_("角色"),
        choices=Role.choices,
        field_name="role_assignments__role",
        empty_label=_("全部角色"),
        distinct=True,
    )
    is_active = django_filters.BooleanFilter(label=_("状态"), widget=ActiveStatusSelect)

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        value = value.strip()
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value)) if value else queryset
