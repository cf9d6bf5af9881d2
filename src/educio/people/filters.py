"""Filters of the person table (the unit is chosen in the tree beside it)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from educio.people.models import Gender, Person, Position, TitleLevel
from educio.people.selectors import holding_position


class ActiveSelect(forms.NullBooleanSelect):
    """全部 / 在职 / 离职."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", _("全部")), ("true", _("在职")), ("false", _("离职"))]


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名"), method="search")
    position = django_filters.ChoiceFilter(
        label=_("任职岗位"), choices=Position.choices, empty_label=_("全部岗位"), method="holding"
    )
    gender = django_filters.ChoiceFilter(label=_("性别"), choices=Gender.choices, empty_label=_("全部"))
    title_level = django_filters.ChoiceFilter(label=_("职称等级"), choices=TitleLevel.choices, empty_label=_("全部"))
    is_active = django_filters.BooleanFilter(label=_("状态"), widget=ActiveSelect)

    class Meta:
        model = Person
        fields = ["q", "position", "gender", "title_level", "is_active"]

    def search(self, queryset: QuerySet[Person], name: str, value: Any) -> QuerySet[Person]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(admin_position__icontains=value))

    def holding(self, queryset: QuerySet[Person], name: str, value: Any) -> QuerySet[Person]:
        return holding_position(queryset, value) if value else queryset
