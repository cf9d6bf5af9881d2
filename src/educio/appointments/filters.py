"""Filters of the nomination and appointment tables (the coverage dashboard links here with org/status/expiring)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from educio.appointments.models import (
    Appointment,
    AppointmentStatus,
    Nomination,
    NominationKind,
    NominationStatus,
)
from educio.orgs.models import Organization


def _subtree(queryset: QuerySet[Any], value: Any) -> QuerySet[Any]:
    """``org=<id>``: rows of that unit's subtree (the queryset is already scoped, so no unit is revealed)."""
    if not value:
        return queryset
    path = Organization.objects.filter(pk=value).values_list("path", flat=True).first()
    return queryset.filter(organization__path__startswith=path) if path else queryset.none()


class NominationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    org = django_filters.NumberFilter(
        label=_("单位"), method="in_subtree", widget=django_filters.widgets.forms.HiddenInput
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=NominationStatus.choices, empty_label=_("全部状态"), method="with_status"
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=NominationKind.choices, empty_label=_("全部类型"))

    class Meta:
        model = Nomination
        fields = ["q", "org", "status", "kind"]

    def search(self, queryset: QuerySet[Nomination], name: str, value: Any) -> QuerySet[Nomination]:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(organization__name__icontains=value))

    def in_subtree(self, queryset: QuerySet[Nomination], name: str, value: Any) -> QuerySet[Nomination]:
        return _subtree(queryset, value)

    def with_status(self, queryset: QuerySet[Nomination], name: str, value: Any) -> QuerySet[Nomination]:
        if not value:
            return queryset
        if value == NominationStatus.APPOINTED:
            return queryset.filter(appointment__isnull=False)
        return queryset.filter(process__state=value, appointment__isnull=True)


EXPIRING_CHOICES = [("30", _("30天内届满")), ("90", _("90天内届满"))]


class AppointmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    org = django_filters.NumberFilter(
        label=_("单位"), method="in_subtree", widget=django_filters.widgets.forms.HiddenInput
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AppointmentStatus.choices, empty_label=_("全部状态"))
    expiring = django_filters.ChoiceFilter(
        label=_("任期届满"), choices=EXPIRING_CHOICES, empty_label=_("不限"), method="expiring_within"
    )

    class Meta:
        model = Appointment
        fields = ["q", "org", "status", "expiring"]

    def search(self, queryset: QuerySet[Appointment], name: str, value: Any) -> QuerySet[Appointment]:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__name__icontains=value) | Q(organization__name__icontains=value) | Q(doc_number__icontains=value)
        )

    def in_subtree(self, queryset: QuerySet[Appointment], name: str, value: Any) -> QuerySet[Appointment]:
        return _subtree(queryset, value)

    def expiring_within(self, queryset: QuerySet[Appointment], name: str, value: Any) -> QuerySet[Appointment]:
        if not value:
            return queryset
        horizon = timezone.localdate() + timedelta(days=int(value))
        return queryset.filter(status=AppointmentStatus.ACTIVE, ends_on__isnull=False, ends_on__lte=horizon)
