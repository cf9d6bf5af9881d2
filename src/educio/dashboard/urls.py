from django.urls import path

from educio.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("coverage/gaps/", views.CoverageGapsView.as_view(), name="coverage_gaps"),
]
