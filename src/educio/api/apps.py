from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "educio.api"
    label = "api"
