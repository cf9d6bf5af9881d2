"""The user's own notifications: the list (unread first), opening one, and marking all read.

Every page needs a login and nothing else: the rows are the user's own and a
notification of anyone else is 404 (``permission = None`` tells the
permission-matrix test so).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from educio.forms import style_form
from educio.notifications import selectors, services
from educio.notifications.forms import NotificationFilterSet
from educio.notifications.models import Notification


class NotificationListView(LoginRequiredMixin, ListView):
    permission: ClassVar[str | None] = None
    template_name = "notifications/notification_list.html"
    paginate_by = 20

    filterset: NotificationFilterSet

    def get_queryset(self) -> QuerySet[Notification]:
        self.filterset = NotificationFilterSet(
            self.request.GET or None, queryset=selectors.notification_list(user=self.request.user)
        )
        style_form(self.filterset.form)
        bound = self.filterset.is_bound and self.filterset.is_valid()
        queryset = self.filterset.qs if bound else self.filterset.queryset
        return queryset.order_by("-unread", "-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        query = params.urlencode()
        context.update(filter=self.filterset, query_without_page=query + "&" if query else "")
        return context


class NotificationReadView(LoginRequiredMixin, View):
    """Opening a notification marks it read and goes where it points (its list when the address is not ours)."""

    permission: ClassVar[str | None] = None
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = selectors.notification_get(user=request.user, pk=pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        target = notification.url
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("notifications:list")
        return redirect(target)


class NotificationReadAllView(LoginRequiredMixin, View):
    permission: ClassVar[str | None] = None
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        count = services.notifications_mark_all_read(actor=request.user)
        messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
        return redirect("notifications:list")
