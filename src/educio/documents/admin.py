"""Read-only admin views: templates and export jobs change only through services (checked and audited)."""

from __future__ import annotations

from django.contrib import admin

from educio.documents.models import DocumentTemplate, ExportJob
from educio.policies.admin import ReadOnlyAdmin


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "organization", "kind", "pack_id", "is_active", "uploaded_by", "uploaded_at")
    list_filter = ("kind", "is_active")
    list_select_related = ("organization", "uploaded_by")
    search_fields = ("original_name", "organization__name")


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    # No file link: a job's file is for its requester only, through the permission-checked download.
    list_display = ("title", "kind", "requested_by", "organization", "status", "done", "total", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("organization", "requested_by")
    exclude = ("file", "params")
