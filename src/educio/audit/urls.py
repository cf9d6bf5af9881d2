from django.urls import path

from educio.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.ChangeLogListView.as_view(), name="list"),
    path("events/", views.SecurityEventListView.as_view(), name="events"),
]
