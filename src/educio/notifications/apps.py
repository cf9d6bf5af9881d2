from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "educio.notifications"
    label = "notifications"
    verbose_name = "消息提醒"

    def ready(self) -> None:
        from educio.notifications.receivers import on_workflow_event
        from educio.workflow.signals import workflow_event

        workflow_event.connect(on_workflow_event, dispatch_uid="notifications.on_workflow_event")
