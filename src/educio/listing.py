"""The table page every list in EduCIO uses: scoped rows, filters, sorting, paging and xlsx export.

A subclass names its permission, its scoped selector, a django-filter
FilterSet, the sortable columns and the export columns. The same filtered
queryset feeds the page and the export, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar
from urllib.parse import quote

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from django_filters import FilterSet

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.scope import has_perm
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import XLSX_CONTENT_TYPE, Column, build_workbook
from educio.forms import style_form


class ActiveStatusSelect(forms.NullBooleanSelect):
    """全部 / 启用 / 停用 instead of Django's 未知 / 是 / 否 for an active flag filter."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", _("全部")), ("true", _("启用")), ("false", _("停用"))]


class TableView(PermissionRequiredMixin, ListView):
    filterset_class: ClassVar[type[FilterSet]]
    # The app's scoped selector, e.g. ``staticmethod(org_list)``; called with ``user=``.
    selector: ClassVar[Callable[..., QuerySet[Any]]]
    sort_fields: ClassVar[dict[str, str]] = {}
    default_sort: ClassVar[str] = ""
    paginate_by = 20
    export_permission: ClassVar[str | None] = None
    export_title: ClassVar[str] = "export"
    export_limit: ClassVar[int] = 50000

    filterset: FilterSet

    def scoped_queryset(self) -> QuerySet[Any]:
        return type(self).selector(user=self.request.user)

    def get_queryset(self) -> QuerySet[Any]:
        self.filterset = self.filterset_class(self.request.GET or None, queryset=self.scoped_queryset())
        style_form(self.filterset.form)
        queryset = (
            self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else self.filterset.queryset
        )
        return queryset.order_by(*self.ordering_fields(), "pk")

    def current_sort(self) -> str:
        requested = self.request.GET.get("sort", "")
        return requested if requested.lstrip("-") in self.sort_fields else self.default_sort

    def ordering_fields(self) -> list[str]:
        sort = self.current_sort()
        if not sort:
            return []
        field = self.sort_fields[sort.lstrip("-")]
        return [("-" if sort.startswith("-") else "") + field]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export_columns(self) -> Sequence[Column]:
        return ()

    def export_row(self, obj: Any) -> Sequence[Any]:
        return ()

    def export(self, request: HttpRequest) -> HttpResponse:
        if not self.export_permission or not has_perm(request.user, self.export_permission):
            raise PermissionDenied
        rows = list(self.get_queryset()[: self.export_limit])
        content = build_workbook(
            title=self.export_title, columns=self.export_columns(), rows=(self.export_row(r) for r in rows)
        )
        security_event_record(
            kind=EventKind.EXPORT,
            request=request,
            user=request.user,
            detail=f"{self.export_title}: {len(rows)} 行; {request.GET.urlencode()}"[:500],
        )
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(self.export_title)}-{stamp}.xlsx"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        query_without_page = params.urlencode()
        params.pop("sort", None)
        context.update(
            filter=self.filterset,
            current_sort=self.current_sort(),
            query_without_page=query_without_page + "&" if query_without_page else "",
            query_without_sort=params.urlencode(),
            can_export=bool(self.export_permission and has_perm(self.request.user, self.export_permission)),
        )
        return context
