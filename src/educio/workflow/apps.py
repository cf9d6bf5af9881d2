from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "educio.workflow"
    label = "workflow"
