"""Filters of the audit pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from educio.audit.models import ChangeLogEntry, EventKind, SecurityEvent

ACTION_CHOICES = [(0, _("新增")), (1, _("修改")), (2, _("删除")), (3, _("访问"))]


class ChangeLogFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(label=_("操作人"), field_name="actor__username", lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("操作"), choices=ACTION_CHOICES, empty_label=_("全部操作"))
    object_repr = django_filters.CharFilter(label=_("对象"), lookup_expr="icontains")
    since = django_filters.DateFilter(label=_("起始日期"), field_name="timestamp", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("截止日期"), field_name="timestamp", lookup_expr="date__lte")

    class Meta:
        model = ChangeLogEntry
        fields = ["actor", "action", "object_repr", "since", "until"]


class SecurityEventFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label=_("用户名"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("事件"), choices=EventKind.choices, empty_label=_("全部事件"))
    since = django_filters.DateFilter(label=_("起始日期"), field_name="created_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("截止日期"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = SecurityEvent
        fields = ["username", "kind", "since", "until"]
