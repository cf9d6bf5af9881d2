from django.urls import path  # noqa: F401 - the app's pages are added below

app_name = "people"

urlpatterns: list = []
