from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "educio.training"
    label = "training"
    verbose_name = "培训管理"

    def ready(self) -> None:
        # Imported for its registration: the compliance engine's check of the packs' training requirements.
        from educio.training import compliance  # noqa: F401
