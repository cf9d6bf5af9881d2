"""Filters of the order and recognition tables (the dashboard links here with org / status / overdue / revoked)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization
from educio.rectifications.models import OrderStatus, Recognition, RecognitionKind, RectificationOrder
from educio.rectifications.selectors import overdue_q

YES = [("1", _("是"))]


def _subtree(queryset: QuerySet[Any], value: Any) -> QuerySet[Any]:
    """``org=<id>``: rows of that unit's subtree (the queryset is already scoped, so no unit is revealed)."""
    if not value:
        return queryset
    path = Organization.objects.filter(pk=value).values_list("path", flat=True).first()
    return queryset.filter(organization__path__startswith=path) if path else queryset.none()


class _UnitFilterSet(django_filters.FilterSet):
    """``org``: a select of the bureaus in scope (set by the view), also reached by links naming any unit."""

    org = django_filters.NumberFilter(label=_("单位范围"), method="in_subtree", widget=forms.Select)

    def __init__(self, *args: Any, unit_choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["org"].widget.choices = [("", _("全部单位")), *(unit_choices or [])]

    def in_subtree(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return _subtree(queryset, value)


class OrderFilterSet(_UnitFilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=OrderStatus.choices, empty_label=_("全部状态"))
    overdue = django_filters.ChoiceFilter(label=_("已逾期"), choices=YES, empty_label=_("不限"), method="only_overdue")
    revoked = django_filters.ChoiceFilter(
        label=_("已取消任命"), choices=YES, empty_label=_("不限"), method="only_revoked"
    )

    class Meta:
        model = RectificationOrder
        fields = ["q", "org", "status", "overdue", "revoked"]

    def search(self, queryset: QuerySet[RectificationOrder], name: str, value: Any) -> QuerySet[RectificationOrder]:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organization__name__icontains=value)
            | Q(number__icontains=value)
            | Q(findings__icontains=value)
            | Q(person__name__icontains=value)
        )

    def only_overdue(
        self, queryset: QuerySet[RectificationOrder], name: str, value: Any
    ) -> QuerySet[RectificationOrder]:
        return queryset.filter(overdue_q()) if value else queryset

    def only_revoked(
        self, queryset: QuerySet[RectificationOrder], name: str, value: Any
    ) -> QuerySet[RectificationOrder]:
        return queryset.filter(revoked_appointment__isnull=False) if value else queryset


class RecognitionFilterSet(_UnitFilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=RecognitionKind.choices, empty_label=_("全部类别"))
    year = django_filters.NumberFilter(label=_("年度"), field_name="date", lookup_expr="year")

    class Meta:
        model = Recognition
        fields = ["q", "org", "kind", "year"]

    def search(self, queryset: QuerySet[Recognition], name: str, value: Any) -> QuerySet[Recognition]:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organization__name__icontains=value)
            | Q(person__name__icontains=value)
            | Q(reason__icontains=value)
            | Q(doc_number__icontains=value)
        )
