from django.apps import AppConfig


class RectificationsConfig(AppConfig):
    name = "educio.rectifications"
    label = "rectifications"
    verbose_name = "限期整改与表彰追责"

    def ready(self) -> None:
        # The recheck is decided in the workflow inbox; the order follows the decision once it has committed.
        from educio.rectifications.receivers import on_workflow_event
        from educio.workflow.signals import workflow_event

        workflow_event.connect(on_workflow_event, dispatch_uid="rectifications.on_workflow_event")
