"""Pack versions as uploaded, and which unit adopted which version when.

A ``PolicyPack`` row is one version of one pack file, kept forever: records
made under it (a nomination, an assessment) point at the row, so adopting a
newer version never changes the rules an old record was judged by. The YAML
source is stored verbatim with its SHA-256; the typed rules are parsed from it
on demand (and cached by hash).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization


class PolicyPack(models.Model):
    """One version of a policy pack; ``owner`` is the unit that published it (empty: a platform pack)."""

    pack_id = models.CharField(_("制度包标识"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("发文单位"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=200, blank=True)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    source = models.TextField(_("YAML 源文件"))
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    owner = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_packs",
        verbose_name=_("发布单位"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    # The source can be long; the audit entry keeps its hash, not the text.
    audit_exclude_fields = ("source",)

    class Meta:
        verbose_name = _("制度包")
        verbose_name_plural = _("制度包")
        ordering = ["pack_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["pack_id", "version"], name="policy_pack_id_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="policy_pack_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title}(第{self.version}版)"

    @property
    def is_platform(self) -> bool:
        return self.owner_id is None

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.owner.path if self.owner_id and self.owner else ""}


class PackAdoption(models.Model):
    """A unit adopts a pack version for its subtree; a newer adoption supersedes it (the row stays)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="pack_adoptions", verbose_name=_("采用单位")
    )
    pack = models.ForeignKey(PolicyPack, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("制度包"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("采用人"),
    )
    adopted_at = models.DateTimeField(_("采用时间"), default=timezone.now)
    superseded_at = models.DateTimeField(_("停止时间"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("停止操作人"),
    )

    class Meta:
        verbose_name = _("制度包采用")
        verbose_name_plural = _("制度包采用")
        ordering = ["organization__path", "-adopted_at"]
        indexes = [models.Index(fields=["organization", "superseded_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(superseded_at__isnull=True),
                name="policy_one_active_adoption_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True) | Q(superseded_at__gte=models.F("adopted_at")),
                name="policy_adoption_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.pack}"

    @property
    def is_active(self) -> bool:
        return self.superseded_at is None

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}
