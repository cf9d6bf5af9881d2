from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "educio.people"
    label = "people"
    verbose_name = "人员"
