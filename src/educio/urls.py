"""Top-level URL map: one include per app."""

from django.contrib import admin
from django.urls import include, path

from educio.api.api import api

urlpatterns = [
    path("", include("educio.dashboard.urls")),
    path("accounts/", include("educio.accounts.urls")),
    path("orgs/", include("educio.orgs.urls")),
    path("audit/", include("educio.audit.urls")),
    path("policies/", include("educio.policies.urls")),
    path("workflow/", include("educio.workflow.urls")),
    path("people/", include("educio.people.urls")),
    path("appointments/", include("educio.appointments.urls")),
    path("assessments/", include("educio.assessments.urls")),
    path("rectifications/", include("educio.rectifications.urls")),
    path("training/", include("educio.training.urls")),
    path("notifications/", include("educio.notifications.urls")),
    path("documents/", include("educio.documents.urls")),
    path("api/", include("educio.api.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
