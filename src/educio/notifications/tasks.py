"""The background task that e-mails new notifications (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from educio.notifications import services


@task()
def email_notifications(ids: list[int]) -> int:
    """E-mail the notifications ``ids`` (created together by one send); returns how many went out."""
    return services.notifications_email(ids)
