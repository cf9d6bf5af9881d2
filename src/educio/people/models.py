"""People who can be nominated: their record, work history, honours and certificates.

A ``Person`` belongs to a unit and is the source of what the eligibility rules
ask (certificates, positions, title, years at the unit). Personal data is
masked in lists and each full view is logged (DESIGN.md §4).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization

phone_validator = RegexValidator(
    r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$", _("请填写11位手机号码或带区号的固定电话")
)
PHOTO_EXTENSIONS = ["jpg", "jpeg", "png"]
SCAN_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class Gender(models.TextChoices):
    MALE = "男", _("男")
    FEMALE = "女", _("女")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "中共党员", _("中共党员")
    PROBATIONARY = "中共预备党员", _("中共预备党员")
    LEAGUE_MEMBER = "共青团员", _("共青团员")
    DEMOCRATIC_PARTY = "民主党派", _("民主党派")
    NON_PARTISAN = "无党派人士", _("无党派人士")
    MASSES = "群众", _("群众")


# 中共预备党员 is not yet a full member; the rules that ask for 中共党员 (宜春 第五条(一)) do not count it.
PARTY_MEMBER_STATUSES = frozenset({PoliticalStatus.PARTY_MEMBER})


class Position(models.TextChoices):
    """Positions the packs name as holders of a post (``posts[].holders[].position``)."""

    SCHOOL_HEAD = "school_head", _("学校主要负责人")
    DEPUTY_HEAD = "deputy_head", _("学校副职领导")
    LEGAL_REPRESENTATIVE = "legal_representative", _("学校法定代表人")
    VICE_PRESIDENT_IT = "vice_president_it", _("分管信息化工作的副校长")
    PRESIDENT_ASSISTANT = "president_assistant", _("校长助理")
    FUNCTIONAL_DEPARTMENT_HEAD = "functional_department_head", _("职能部门负责人")
    DEPARTMENT_HEAD = "department_head", _("院系(部门)负责人")
    IT_STAFF = "it_staff", _("信息化工作人员")
    TEACHER = "teacher", _("教师")


class TitleLevel(models.TextChoices):
    """专业技术职务等级 (the values of ``policies.schema.base.TitleLevel``)."""

    JUNIOR = "junior", _("初级")
    INTERMEDIATE = "intermediate", _("中级")
    ASSOCIATE_SENIOR = "associate_senior", _("副高级")
    SENIOR = "senior", _("正高级")


class AdminRank(models.TextChoices):
    """管理职级 (the values of ``policies.schema.base.AdminRank``)."""

    SECTION_DEPUTY = "section_deputy", _("副科级")
    SECTION = "section", _("正科级")
    DIVISION_DEPUTY = "division_deputy", _("副处级")
    DIVISION = "division", _("正处级")
    BUREAU_DEPUTY = "bureau_deputy", _("副厅级")
    BUREAU = "bureau", _("正厅级")


class PlatformCertificateKind(models.TextChoices):
    """The certificates the platform's own trainings give; a pack may name its kinds differently (焦作 第二条(二))."""

    CIO = "cio_training", _("CIO培训合格证")
    INFORMATIZATION = "informatization_training", _("教育信息化业务培训合格证")
    SECURITY = "security_training", _("网络安全培训合格证")
    LEADERSHIP = "leadership_training", _("信息化领导力培训合格证")
    TEACHER_IT = "teacher_it_training", _("教师信息技术应用能力培训合格证")


class CertificateLevel(models.TextChoices):
    """Who organised the training the certificate is from (``policies.schema.base.TrainingLevel``)."""

    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    SCHOOL = "school", _("校级")


def person_photo_path(instance: Any, filename: str) -> str:
    return f"persons/photos/{date.today():%Y/%m}/{filename}"


def certificate_scan_path(instance: Any, filename: str) -> str:
    return f"persons/certificates/{date.today():%Y/%m}/{filename}"


class Person(models.Model):
    """Someone who can be nominated; personal data is masked in lists and each full view is logged."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="persons", verbose_name=_("所在单位")
    )
    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=16, choices=PoliticalStatus.choices, blank=True)
    education = models.CharField(_("学历"), max_length=40, blank=True)
    degree = models.CharField(_("学位"), max_length=40, blank=True)
    university = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("所学专业"), max_length=100, blank=True)
    teaching_years = models.PositiveSmallIntegerField(_("教龄(年)"), null=True, blank=True)
    admin_position = models.CharField(_("现任行政职务"), max_length=60, blank=True)
    positions = models.JSONField(_("任职岗位"), default=list, blank=True)
    professional_title = models.CharField(_("专业技术职务"), max_length=60, blank=True)
    title_level = models.CharField(_("职称等级"), max_length=20, choices=TitleLevel.choices, blank=True)
    admin_rank = models.CharField(_("管理职级"), max_length=20, choices=AdminRank.choices, blank=True)
    joined_unit_on = models.DateField(_("到本单位工作时间"), null=True, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    photo = models.FileField(
        _("照片"),
        upload_to=person_photo_path,
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
    )
    work_history = models.TextField(_("工作经历"), blank=True)
    is_active = models.BooleanField(_("在职"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["organization__path", "name", "pk"]
        indexes = [models.Index(fields=["organization", "is_active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party_member(self) -> bool | None:
        if not self.political_status:
            return None
        return self.political_status in PARTY_MEMBER_STATUSES

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class Experience(models.Model):
    """One line of a person's work history; ``kind`` names a pack's experience kind it counts for."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="experiences", verbose_name=_("人员"))
    started_on = models.DateField(_("起始时间"))
    ended_on = models.DateField(_("结束时间"), null=True, blank=True, help_text=_("至今请留空"))
    unit_name = models.CharField(_("工作单位"), max_length=120)
    position = models.CharField(_("职务/岗位"), max_length=60, blank=True)
    kind = models.CharField(_("计入的任职经历"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        ordering = ["person", "-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="appt_experience_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.position}"

    def years_until(self, today: date) -> float:
        end = min(self.ended_on or today, today)
        return max((end - self.started_on).days, 0) / 365.25

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.person.organization.path}


class Honour(models.Model):
    """曾获主要荣誉称号和奖励."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="honours", verbose_name=_("人员"))
    title = models.CharField(_("荣誉名称"), max_length=100)
    awarded_on = models.DateField(_("获得时间"))
    granted_by = models.CharField(_("授予单位"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["person", "-awarded_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.person.organization.path}


class Certificate(models.Model):
    """A training or qualification certificate; ``kind`` is a pack's certificate kind (e.g. ``cio_training``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("人员"))
    kind = models.CharField(_("证书类别"), max_length=64)
    level = models.CharField(_("培训级别"), max_length=16, choices=CertificateLevel.choices)
    number = models.CharField(_("证书编号"), max_length=60, blank=True)
    issued_on = models.DateField(_("发证日期"))
    issuer = models.CharField(_("发证单位"), max_length=100)
    scan = models.FileField(
        _("证书扫描件"),
        upload_to=certificate_scan_path,
        blank=True,
        validators=[FileExtensionValidator(SCAN_EXTENSIONS)],
    )

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["person", "-issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.person.organization.path}
