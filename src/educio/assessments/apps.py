from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "educio.assessments"
    label = "assessments"
    verbose_name = "考核评价"
