"""Read-only admin views: packs and adoptions change only through services (validated and audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from educio.policies.models import PackAdoption, PolicyPack


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicyPack)
class PolicyPackAdmin(ReadOnlyAdmin):
    list_display = ("pack_id", "version", "title", "issuer", "doc_number", "owner", "created_at")
    list_filter = ("pack_id",)
    search_fields = ("pack_id", "title", "issuer", "doc_number")


@admin.register(PackAdoption)
class PackAdoptionAdmin(ReadOnlyAdmin):
    list_display = ("organization", "pack", "adopted_at", "adopted_by", "superseded_at")
    list_select_related = ("organization", "pack", "adopted_by")
    search_fields = ("organization__name", "pack__pack_id")
