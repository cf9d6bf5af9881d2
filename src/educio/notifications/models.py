"""In-app notifications (站内消息), each also sent once by e-mail when the recipient has an address.

A notification belongs to one account and nobody else ever sees it. Its
``dedup_key`` names the event it announces ("step:12:activated",
"term90:7"); the database refuses a second row with the same key for the
same recipient, so a receiver that fires twice or two reminder runs at the
same moment cannot announce one event twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization


class NotificationKind(models.TextChoices):
    STEP_PENDING = "step_pending", _("待审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核未通过")
    DEADLINE = "deadline", _("推荐截止提醒")
    TERM_ENDING = "term_ending", _("任期届满提醒")
    NO_CIO = "no_cio", _("未聘任首席信息官")
    RECTIFICATION = "rectification", _("限期整改")
    ASSESSMENT_RESULT = "assessment_result", _("考核结果发布")


class Notification(models.Model):
    """One message to one account about one event, read in the app and (once) by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类别"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    # The unit the event concerns: the audit trail of the notification is scoped by its path. A message
    # about a unit that is deleted (only test and benchmark data ever is) has nothing left to point to.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("相关单位")
    )
    dedup_key = models.CharField(_("事件标识"), max_length=120)
    # Which notify() call inserted the row: rows skipped as duplicates keep another call's batch,
    # so a call knows exactly which rows are its own to e-mail (see services.notifications_send).
    batch = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    audit_exclude_fields = ("batch",)

    class Meta:
        verbose_name = _("消息提醒")
        verbose_name_plural = _("消息提醒")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedup_key"], name="notif_once_per_recipient"),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notif_known_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}
