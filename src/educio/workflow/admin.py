"""Read-only admin pages: processes change only through the services (state machine and audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from educio.workflow.models import ReviewProcess, ReviewStep


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


_STEP_FIELDS = ("round", "index", "name", "acting_organization", "role", "state", "decided_by", "decided_at", "opinion")


class ReviewStepInline(ReadOnlyMixin, admin.TabularInline):
    model = ReviewStep
    fields = _STEP_FIELDS
    readonly_fields = _STEP_FIELDS
    extra = 0


@admin.register(ReviewProcess)
class ReviewProcessAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "organization", "state", "round", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["organization"]
    inlines = [ReviewStepInline]
