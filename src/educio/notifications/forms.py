"""The filter bar of the notification list: read or unread, and the kind."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from educio.notifications.models import Notification, NotificationKind

READ_STATES = [("unread", _("未读")), ("read", _("已读"))]


class NotificationFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=READ_STATES, empty_label=_("全部"), method="by_state")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=NotificationKind.choices, empty_label=_("全部类别"))

    class Meta:
        model = Notification
        fields = ["state", "kind"]

    def by_state(self, queryset: QuerySet[Notification], name: str, value: Any) -> QuerySet[Notification]:
        if value == "unread":
            return queryset.filter(read_at__isnull=True)
        if value == "read":
            return queryset.filter(read_at__isnull=False)
        return queryset
