from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "educio.orgs"
    label = "orgs"
