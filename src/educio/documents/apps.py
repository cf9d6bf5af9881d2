from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "educio.documents"
    label = "documents"
