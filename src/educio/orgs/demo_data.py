"""The demo jurisdictions: the four units whose documents are in ``seeds/``, with real-shaped trees.

Plain data, read by ``manage.py load_demo`` (which creates what is missing) and
``manage.py demo_accounts`` (which prints the logins). Bureaus carry their real
6-digit administrative division codes; school names and their 10-digit MOE
codes are invented but well-formed (``2`` + the county's region code + a
3-digit number for K-12 schools). 宜春学院 carries its real MOE code
(national university code 10417).

Each unit has a stable key used to find it again on a second run:

- a unit with an MOE code (schools, the university) is found by that code;
- a bureau by its parent, its level and its region code;
- a department by its parent and its name.

Each account names the unit where it holds its one role by the unit's ``ref``
(a short, code-side handle such as ``jz.jiefang``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from educio.accounts.roles import Role
from educio.orgs.models import BureauLevel, OrgKind, SchoolType

# Shared by every demo account: >= 8 characters and all four character classes.
DEMO_PASSWORD = "Demo@2024"  # noqa: S105 - published on purpose: the demo logins are printed for everyone


@dataclass(frozen=True)
class DemoUnit:
    ref: str
    name: str
    kind: str
    region_code: str
    bureau_level: str = ""
    school_type: str = ""
    moe_code: str | None = None
    short_name: str = ""
    address: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    children: tuple[DemoUnit, ...] = field(default=())

    def walk(self) -> list[DemoUnit]:
        """This unit and every unit below it, parents first."""
        units = [self]
        for child in self.children:
            units.extend(child.walk())
        return units

    def model_fields(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
            "bureau_level": self.bureau_level,
            "school_type": self.school_type,
            "moe_code": self.moe_code,
            "region_code": self.region_code,
            "address": self.address,
            "contact_person": self.contact_person,
            "contact_phone": self.contact_phone,
        }


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit_ref: str


@dataclass(frozen=True)
class Jurisdiction:
    prefix: str
    root: DemoUnit
    accounts: tuple[DemoAccount, ...]


def school(ref: str, name: str, school_type: str, region_code: str, number: int) -> DemoUnit:
    """A K-12 school whose MOE code is ``2`` + its region code + a 3-digit number."""
    return DemoUnit(
        ref=ref,
        name=name,
        kind=OrgKind.SCHOOL,
        school_type=school_type,
        region_code=region_code,
        moe_code=f"2{region_code}{number:03d}",
    )


def county(ref: str, name: str, region_code: str, schools: list[tuple[str, str]]) -> DemoUnit:
    """A county-level bureau and its schools, given as (name, school type) pairs."""
    return DemoUnit(
        ref=ref,
        name=name,
        kind=OrgKind.BUREAU,
        bureau_level=BureauLevel.COUNTY,
        region_code=region_code,
        children=tuple(
            school(f"{ref}.s{i}", school_name, school_type, region_code, i)
            for i, (school_name, school_type) in enumerate(schools, start=1)
        ),
    )


def department(ref: str, name: str, region_code: str) -> DemoUnit:
    return DemoUnit(ref=ref, name=name, kind=OrgKind.DEPARTMENT, region_code=region_code)


P, J, S = SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.SENIOR
NINE, VOC, SPECIAL = SchoolType.NINE_YEAR, SchoolType.VOCATIONAL, SchoolType.SPECIAL

# ---------------------------------------------------------------------------
# 焦作市教育局 (焦教文〔2022〕60号): a city bureau and its ten county-level bureaus.
# ---------------------------------------------------------------------------
JIAOZUO = DemoUnit(
    ref="jz",
    name="焦作市教育局",
    short_name="焦作市教育局",
    kind=OrgKind.BUREAU,
    bureau_level=BureauLevel.CITY,
    region_code="410800",
    address="河南省焦作市解放区",
    contact_person="电教馆",
    children=(
        school("jz.direct1", "焦作市第一中学", S, "410800", 1),
        county(
            "jz.jiefang",
            "解放区教育局",
            "410802",
            [
                ("解放区实验小学", P),
                ("解放区建设路小学", P),
                ("解放区第二初级中学", J),
                ("解放区特殊教育学校", SPECIAL),
            ],
        ),
        county(
            "jz.zhongzhan",
            "中站区教育局",
            "410803",
            [("中站区实验小学", P), ("中站区龙翔中学", J), ("中站区府城九年一贯制学校", NINE)],
        ),
        county(
            "jz.macun",
            "马村区教育局",
            "410804",
            [("马村区实验小学", P), ("马村区待王中学", J), ("马村区第一高级中学", S)],
        ),
        county(
            "jz.shanyang",
            "山阳区教育局",
            "410811",
            [("山阳区东方红小学", P), ("山阳区实验中学", J), ("山阳区职业中等专业学校", VOC)],
        ),
        county(
            "jz.xiuwu",
            "修武县教育局",
            "410821",
            [("修武县实验小学", P), ("修武县第一中学", S), ("修武县云台山九年一贯制学校", NINE)],
        ),
        county(
            "jz.boai",
            "博爱县教育局",
            "410822",
            [("博爱县实验小学", P), ("博爱县许良镇初级中学", J), ("博爱县第一中学", S)],
        ),
        county(
            "jz.wuzhi",
            "武陟县教育局",
            "410823",
            [("武陟县实验小学", P), ("武陟县第一中学", S), ("武陟县职业教育中心", VOC)],
        ),
        county(
            "jz.wenxian",
            "温县教育局",
            "410825",
            [("温县实验小学", P), ("温县祥云镇初级中学", J), ("温县第一高级中学", S)],
        ),
        county(
            "jz.qinyang",
            "沁阳市教育局",
            "410882",
            [("沁阳市实验小学", P), ("沁阳市覃怀中学", J), ("沁阳市第一中学", S)],
        ),
        county(
            "jz.mengzhou",
            "孟州市教育局",
            "410883",
            [("孟州市实验小学", P), ("孟州市河阳中学", J), ("孟州市第一高级中学", S), ("孟州市特殊教育学校", SPECIAL)],
        ),
    ),
)

# ---------------------------------------------------------------------------
# 贺兰县教育体育局 (2024 implementation plan): a county bureau under 银川, its own root here.
# ---------------------------------------------------------------------------
HELAN = DemoUnit(
    ref="hl",
    name="贺兰县教育体育局",
    short_name="贺兰县教体局",
    kind=OrgKind.BUREAU,
    bureau_level=BureauLevel.COUNTY,
    region_code="640122",
    address="宁夏回族自治区银川市贺兰县",
    children=tuple(
        school(f"hl.s{i}", name, school_type, "640122", i)
        for i, (name, school_type) in enumerate(
            [
                ("贺兰县第一中学", S),
                ("贺兰县回民高级中学", S),
                ("贺兰县第四中学", J),
                ("贺兰县第一小学", P),
                ("贺兰县第二小学", P),
                ("贺兰县立岗镇立岗小学", P),
                ("贺兰县洪广镇洪广中心学校", NINE),
                ("贺兰县职业中学", VOC),
                ("贺兰县特殊教育学校", SPECIAL),
            ],
            start=1,
        )
    ),
)

# ---------------------------------------------------------------------------
# 宜春学院 (2025 draft CIO system): a university and its departments and colleges.
# ---------------------------------------------------------------------------
_YC_REGION = "360902"  # 宜春市袁州区
YICHUN = DemoUnit(
    ref="yc",
    name="宜春学院",
    short_name="宜春学院",
    kind=OrgKind.UNIVERSITY,
    region_code=_YC_REGION,
    moe_code="4136010417",
    address="江西省宜春市袁州区学府路576号",
    children=tuple(
        department(f"yc.{ref}", name, _YC_REGION)
        for ref, name in [
            ("party_office", "党委办公室"),
            ("president_office", "校长办公室"),
            ("info_center", "信息中心"),
            ("academic_affairs", "教务处"),
            ("research", "科学技术处"),
            ("finance", "财务处"),
            ("security", "保卫处"),
            ("library", "图书馆"),
            ("math_cs", "数学与计算机科学学院"),
            ("physics", "物理科学与工程技术学院"),
            ("literature", "文学与新闻传播学院"),
            ("economics", "经济与管理学院"),
            ("medicine", "医学院"),
        ]
    ),
)

# ---------------------------------------------------------------------------
# 乌海市教育局 (乌教发〔2023〕97号): a city bureau with its three district bureaus.
# ---------------------------------------------------------------------------
WUHAI = DemoUnit(
    ref="wh",
    name="乌海市教育局",
    short_name="乌海市教育局",
    kind=OrgKind.BUREAU,
    bureau_level=BureauLevel.CITY,
    region_code="150300",
    address="内蒙古自治区乌海市海勃湾区",
    children=(
        school("wh.direct1", "乌海市第一中学", S, "150300", 1),
        county(
            "wh.haibowan",
            "海勃湾区教育局",
            "150302",
            [
                ("海勃湾区第一小学", P),
                ("海勃湾区第七小学", P),
                ("海勃湾区实验小学", P),
                ("海勃湾区第二中学", J),
                ("海勃湾区第三中学", J),
            ],
        ),
        county(
            "wh.wuda",
            "乌达区教育局",
            "150304",
            [
                ("乌达区第一小学", P),
                ("乌达区第五小学", P),
                ("乌达区第二中学", J),
                ("乌达区第十中学", J),
                ("乌达区特殊教育学校", SPECIAL),
            ],
        ),
        county(
            "wh.hainan",
            "海南区教育局",
            "150303",
            [
                ("海南区第一小学", P),
                ("海南区巴音陶亥学校", NINE),
                ("海南区拉僧庙学校", NINE),
                ("海南区第一中学", J),
                ("海南区职业中学", VOC),
            ],
        ),
    ),
)


def _staff(prefix: str, root: str, school_ref: str, liaison_ref: str, names: list[str]) -> list[DemoAccount]:
    """The accounts every jurisdiction gets, in the order the table prints them."""
    roles = [
        ("admin", Role.BUREAU_ADMIN, root),
        ("reviewer", Role.BUREAU_REVIEWER, root),
        ("school_head", Role.SCHOOL_HEAD, school_ref),
        ("school_cio", Role.CIO, school_ref),
        ("liaison", Role.LIAISON, liaison_ref),
        ("expert", Role.EXPERT, root),
        ("inspector", Role.INSPECTOR, root),
        ("security_admin", Role.SECURITY_ADMIN, root),
        ("audit_admin", Role.AUDIT_ADMIN, root),
    ]
    return [
        DemoAccount(f"{prefix}_{suffix}", full_name, role, ref)
        for (suffix, role, ref), full_name in zip(roles, names, strict=True)
    ]


JURISDICTIONS: tuple[Jurisdiction, ...] = (
    Jurisdiction(
        "jz",
        JIAOZUO,
        (
            DemoAccount("platform_admin", "平台管理员", Role.PLATFORM_ADMIN, "jz"),
            *_staff(
                "jz",
                "jz",
                "jz.jiefang.s1",
                "jz.jiefang.s1",
                ["王建国", "李秀梅", "张海涛", "刘志强", "陈静", "杨文博", "赵丽华", "孙伟", "周敏"],
            ),
            DemoAccount("jz_jiefang_admin", "吴立新", Role.BUREAU_ADMIN, "jz.jiefang"),
            # 焦作's chain has a county review (附件1: 县(市、区)教育行政部门审核意见).
            DemoAccount("jz_jiefang_reviewer", "郑晓东", Role.BUREAU_REVIEWER, "jz.jiefang"),
        ),
    ),
    Jurisdiction(
        "hl",
        HELAN,
        tuple(
            _staff(
                "hl",
                "hl",
                "hl.s1",
                "hl.s1",
                ["马兴华", "丁玉兰", "杨志刚", "纳海军", "冯晓燕", "何建平", "田秀英", "苏明", "金海燕"],
            )
        ),
    ),
    Jurisdiction(
        "yc",
        YICHUN,
        tuple(
            _staff(
                "yc",
                "yc",
                "yc",
                "yc.math_cs",
                ["钟文军", "胡春燕", "熊卫东", "邓晓明", "袁丽娟", "彭志华", "罗建华", "谢红", "曾庆林"],
            )
        ),
    ),
    Jurisdiction(
        "wh",
        WUHAI,
        (
            *_staff(
                "wh",
                "wh",
                "wh.haibowan.s1",
                "wh.haibowan.s1",
                ["高志远", "韩秀兰", "白云飞", "郭宏伟", "乌云其木格", "巴特尔", "段淑芬", "闫军", "贾丽娜"],
            ),
            DemoAccount("wh_haibowan_admin", "康永胜", Role.BUREAU_ADMIN, "wh.haibowan"),
        ),
    ),
)


def all_units() -> list[tuple[DemoUnit, DemoUnit | None]]:
    """Every demo unit with its parent (None for the four roots), parents first."""
    pairs: list[tuple[DemoUnit, DemoUnit | None]] = []

    def visit(unit: DemoUnit, parent: DemoUnit | None) -> None:
        pairs.append((unit, parent))
        for child in unit.children:
            visit(child, unit)

    for jurisdiction in JURISDICTIONS:
        visit(jurisdiction.root, None)
    return pairs


def all_accounts() -> list[DemoAccount]:
    return [account for jurisdiction in JURISDICTIONS for account in jurisdiction.accounts]
