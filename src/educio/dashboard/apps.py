from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "educio.dashboard"
    label = "dashboard"
