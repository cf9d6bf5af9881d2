from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "educio.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from educio.accounts import signals  # noqa: F401 - connects the login audit receivers
