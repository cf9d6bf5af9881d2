from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "educio.appointments"
    label = "appointments"
    verbose_name = "首席信息官任命"
