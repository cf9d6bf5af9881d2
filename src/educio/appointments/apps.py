from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "educio.appointments"
    label = "appointments"
    verbose_name = "首席信息官任命"

    def ready(self) -> None:
        # Imported for their registrations: ``compliance`` gives the engine the post, term and coverage
        # checks; ``exports`` the default Word templates, their sample contexts and the 汇总表 background
        # export (the task worker runs this too, so both processes know the same export kinds).
        from educio.appointments import compliance, exports  # noqa: F401
