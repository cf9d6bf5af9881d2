"""Filters of the inbox and of "my submissions"."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from educio.workflow.models import ProcessKind, ProcessState, ReviewProcess, ReviewStep


class InboxFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("类别"), field_name="process__kind", choices=ProcessKind.choices, empty_label=_("全部类别")
    )
    overdue = django_filters.BooleanFilter(label=_("已超期"), field_name="overdue")

    class Meta:
        model = ReviewStep
        fields = ["q", "kind", "overdue"]

    def search(self, queryset: QuerySet[ReviewStep], name: str, value: Any) -> QuerySet[ReviewStep]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(process__title__icontains=value)
            | Q(process__organization__name__icontains=value)
            | Q(name__icontains=value)
        )


class ProcessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=ProcessKind.choices, empty_label=_("全部类别"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ProcessState.choices, empty_label=_("全部状态"))

    class Meta:
        model = ReviewProcess
        fields = ["q", "kind", "state"]

    def search(self, queryset: QuerySet[ReviewProcess], name: str, value: Any) -> QuerySet[ReviewProcess]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(organization__name__icontains=value))
