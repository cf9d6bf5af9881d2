"""The organisation tree: bureaus, schools, universities and their departments."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class OrgKind(models.TextChoices):
    BUREAU = "bureau", _("教育行政部门")
    SCHOOL = "school", _("学校")
    UNIVERSITY = "university", _("高等学校")
    DEPARTMENT = "department", _("部门/学院")


class BureauLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class SchoolType(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初级中学")
    SENIOR = "senior", _("高级中学")
    NINE_YEAR = "nine_year", _("九年一贯制学校")
    TWELVE_YEAR = "twelve_year", _("十二年一贯制学校")
    VOCATIONAL = "vocational", _("中等职业学校")
    SPECIAL = "special", _("特殊教育学校")


# [0-9], not \d: \d also matches full-width and other Unicode digits, which no other system accepts.
moe_code_validator = RegexValidator(r"^[0-9]{10}$", _("学校标识码必须是10位数字"))
region_code_validator = RegexValidator(r"^[0-9]{6}$", _("行政区划代码必须是6位数字"))

# Which kinds may sit directly under which: a school never holds a bureau.
ALLOWED_CHILD_KINDS: dict[str, set[str]] = {
    OrgKind.BUREAU: {OrgKind.BUREAU, OrgKind.SCHOOL, OrgKind.UNIVERSITY},
    OrgKind.SCHOOL: {OrgKind.DEPARTMENT},
    OrgKind.UNIVERSITY: {OrgKind.DEPARTMENT},
    OrgKind.DEPARTMENT: {OrgKind.DEPARTMENT},
}


class Organization(MP_Node):
    """A unit in the tree. A role held at a unit covers the unit and everything below it."""

    steplen = 5
    node_order_by: list[str] = []

    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=OrgKind.choices)
    bureau_level = models.CharField(_("行政级别"), max_length=16, choices=BureauLevel.choices, blank=True)
    school_type = models.CharField(_("学校类型"), max_length=16, choices=SchoolType.choices, blank=True)
    moe_code = models.CharField(
        _("学校标识码"), max_length=10, null=True, blank=True, unique=True, validators=[moe_code_validator]
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True, validators=[region_code_validator])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"]), models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OrgKind.BUREAU, bureau_level__in=BureauLevel.values)
                | (~Q(kind=OrgKind.BUREAU) & Q(bureau_level="")),
                name="org_bureau_level_only_for_bureaus",
            ),
            models.CheckConstraint(
                condition=Q(kind=OrgKind.SCHOOL) | Q(school_type=""),
                name="org_school_type_only_for_schools",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        if self.kind == OrgKind.BUREAU and self.bureau_level:
            return str(BureauLevel(self.bureau_level).label) + str(OrgKind(self.kind).label)
        if self.kind == OrgKind.SCHOOL and self.school_type:
            return str(SchoolType(self.school_type).label)
        return str(OrgKind(self.kind).label)

    def get_additional_data(self) -> dict[str, str]:
        """Stored with every audit entry so the audit log can be scoped to a subtree."""
        return {"org_path": self.path}
