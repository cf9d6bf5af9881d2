"""Filters of the training list (the unit is chosen with ``org``: trainings organised in its subtree)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from educio.appointments.models import Appointment
from educio.orgs.models import Organization
from educio.training.models import TrainingEvent, TrainingKind, TrainingLevel

COMPLIANT, MISSING = "compliant", "missing"
COMPLIANCE_CHOICES = [(COMPLIANT, _("合规")), (MISSING, _("缺训"))]
CENTRALISED_CHOICES = [("1", _("集中培训")), ("0", _("校本研修/线上自学"))]


def year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this_year + 1, this_year - 6, -1)]


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    org = django_filters.NumberFilter(
        label=_("组织单位"), method="in_subtree", widget=django_filters.widgets.forms.HiddenInput
    )
    year = django_filters.ChoiceFilter(
        label=_("年度"), choices=year_choices, empty_label=_("全部年度"), method="in_year"
    )
    level = django_filters.ChoiceFilter(label=_("培训级别"), choices=TrainingLevel.choices, empty_label=_("全部级别"))
    kind = django_filters.ChoiceFilter(label=_("培训类别"), choices=TrainingKind.choices, empty_label=_("全部类别"))
    centralised = django_filters.ChoiceFilter(
        label=_("培训形式"), choices=CENTRALISED_CHOICES, empty_label=_("全部形式"), method="by_form"
    )

    class Meta:
        model = TrainingEvent
        fields = ["q", "org", "year", "level", "kind", "centralised"]

    def search(self, queryset: QuerySet[TrainingEvent], name: str, value: Any) -> QuerySet[TrainingEvent]:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(organiser__name__icontains=value))

    def in_subtree(self, queryset: QuerySet[TrainingEvent], name: str, value: Any) -> QuerySet[TrainingEvent]:
        """Trainings organised in that unit's subtree (the queryset is already scoped, so no unit is revealed)."""
        if not value:
            return queryset
        path = Organization.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(organiser__path__startswith=path) if path else queryset.none()

    def in_year(self, queryset: QuerySet[TrainingEvent], name: str, value: Any) -> QuerySet[TrainingEvent]:
        return queryset.filter(starts_on__year=int(value)) if value else queryset

    def by_form(self, queryset: QuerySet[TrainingEvent], name: str, value: Any) -> QuerySet[TrainingEvent]:
        return queryset.filter(centralised=value == "1") if value else queryset


class ComplianceFilterSet(django_filters.FilterSet):
    """Name or unit, and 合规/缺训, on the post holders of the compliance page (year and unit are chosen apart)."""

    q = django_filters.CharFilter(label=_("关键字"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=COMPLIANCE_CHOICES, empty_label=_("全部"), method="by_status"
    )

    class Meta:
        model = Appointment
        fields = ["q", "status"]

    def search(self, queryset: QuerySet[Appointment], name: str, value: Any) -> QuerySet[Appointment]:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(organization__name__icontains=value))

    def by_status(self, queryset: QuerySet[Appointment], name: str, value: Any) -> QuerySet[Appointment]:
        if not value:
            return queryset
        return queryset.filter(Q(compliant=value == COMPLIANT))  # annotated by compliance.holders
