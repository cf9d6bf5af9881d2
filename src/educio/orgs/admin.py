"""Django admin for organisations: a read-mostly view for platform operators (and the bench baseline).

Units are created, moved and deleted only through ``orgs.services`` (which keep
the treebeard paths, the placement rules and the audit actor right), so the
admin cannot add or delete them and shows the tree columns read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from educio.orgs.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "moe_code", "region_code", "is_active")
    list_filter = ("kind",)
    search_fields = ("name",)
    readonly_fields = ("path", "depth", "numchild", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
