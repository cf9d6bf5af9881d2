from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "educio.policies"
    label = "policies"
