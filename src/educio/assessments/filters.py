"""Filters of the assessment tables (the cycle page's numbers link here with county and status)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from educio.assessments.models import (
    AssessmentCycle,
    AssessmentSubject,
    CycleStatus,
    IndicatorTemplate,
    ReviewerAssignment,
    SubjectStatus,
)
from educio.orgs.models import Organization


def in_subtree(queryset: QuerySet[Any], value: Any, path_field: str = "organization__path") -> QuerySet[Any]:
    """Rows under unit ``value`` (the queryset is already scoped, so naming an outside unit reveals nothing)."""
    if not value:
        return queryset
    path = Organization.objects.filter(pk=value).values_list("path", flat=True).first()
    return queryset.filter(**{f"{path_field}__startswith": path}) if path else queryset.none()


def search_units(queryset: QuerySet[Any], value: Any, prefix: str = "") -> QuerySet[Any]:
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}organization__name__icontains": value}) | Q(**{f"{prefix}person__name__icontains": value})
    )


class TemplateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("模板名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = IndicatorTemplate
        fields = ["q"]


class CycleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CycleStatus.choices, empty_label=_("全部状态"))

    class Meta:
        model = AssessmentCycle
        fields = ["q", "year", "status"]

    def search(self, queryset: QuerySet[AssessmentCycle], name: str, value: Any) -> QuerySet[AssessmentCycle]:
        value = (value or "").strip()
        return queryset.filter(Q(name__icontains=value) | Q(organization__name__icontains=value)) if value else queryset


class SubjectFilterSet(django_filters.FilterSet):
    """The subjects of one cycle; the county and grade lists are filled by the page (they depend on the cycle)."""

    q = django_filters.CharFilter(label=_("单位或姓名"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SubjectStatus.choices, empty_label=_("全部状态"))
    branch = django_filters.NumberFilter(label=_("区县/下级单位"), method="under", widget=forms.Select)
    grade = django_filters.CharFilter(label=_("等级"), widget=forms.Select)

    class Meta:
        model = AssessmentSubject
        fields = ["q", "status", "branch", "grade"]

    def search(self, queryset: QuerySet[AssessmentSubject], name: str, value: Any) -> QuerySet[AssessmentSubject]:
        return search_units(queryset, value)

    def under(self, queryset: QuerySet[AssessmentSubject], name: str, value: Any) -> QuerySet[AssessmentSubject]:
        return in_subtree(queryset, value)


class UnitSubjectFilterSet(django_filters.FilterSet):
    """我的考核 and the yearly result sheet: subjects across cycles."""

    q = django_filters.CharFilter(label=_("单位或姓名"), method="search")
    year = django_filters.NumberFilter(label=_("年度"), field_name="cycle__year")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SubjectStatus.choices, empty_label=_("全部状态"))
    org = django_filters.NumberFilter(label=_("单位"), method="under", widget=forms.HiddenInput)

    class Meta:
        model = AssessmentSubject
        fields = ["q", "year", "status", "org"]

    def search(self, queryset: QuerySet[AssessmentSubject], name: str, value: Any) -> QuerySet[AssessmentSubject]:
        return search_units(queryset, value)

    def under(self, queryset: QuerySet[AssessmentSubject], name: str, value: Any) -> QuerySet[AssessmentSubject]:
        return in_subtree(queryset, value)


SUBMITTED_CHOICES = [("no", _("待评分")), ("yes", _("已提交"))]


class AssignmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("单位或姓名"), method="search")
    submitted = django_filters.ChoiceFilter(
        label=_("评分"), choices=SUBMITTED_CHOICES, empty_label=_("全部"), method="by_submission"
    )

    class Meta:
        model = ReviewerAssignment
        fields = ["q", "submitted"]

    def search(self, queryset: QuerySet[ReviewerAssignment], name: str, value: Any) -> QuerySet[ReviewerAssignment]:
        return search_units(queryset, value, "subject__")

    def by_submission(
        self, queryset: QuerySet[ReviewerAssignment], name: str, value: Any
    ) -> QuerySet[ReviewerAssignment]:
        if not value:
            return queryset
        return queryset.filter(submitted_at__isnull=value == "no")
