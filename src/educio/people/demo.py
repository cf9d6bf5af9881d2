"""Demo persons: the head and a deputy of every demo school, and the two 宜春学院 candidates.

Called by ``manage.py load_demo``. Idempotent: a person is found again by unit
and name, and only missing persons (with their certificates and work history)
are created, in a handful of bulk inserts whatever the number of schools. The
rows are plain demo data, so like ``seed_scale`` they are not logged row by row.

A few persons are written to show the rules at work:

- 解放区实验小学: the head 张海涛 holds a county CIO certificate (焦作 第二条(二));
  the deputy 刘志强 (the school's CIO account) holds a city 教育信息化业务培训合格证
  and 3 years of school informatization management;
- 贺兰县第一中学: the head 杨志刚, legal representative (贺兰 第四条);
- 宜春学院: 黄国平, vice president for IT, party member, 正高级, at the university
  since 2015 (eligible); 邓晓明, head of a functional department and not a party
  member (refused under 第五条(一)).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from educio.orgs.demo_data import all_units
from educio.orgs.models import Organization, OrgKind
from educio.people.models import (
    AdminRank,
    Certificate,
    CertificateLevel,
    Experience,
    Gender,
    Person,
    PoliticalStatus,
    Position,
    TitleLevel,
)


@dataclass(frozen=True)
class DemoCertificate:
    kind: str
    level: str
    issued_on: date
    issuer: str
    number: str


@dataclass(frozen=True)
class DemoExperience:
    started_on: date
    ended_on: date | None
    unit_name: str
    position: str
    kind: str = ""


@dataclass(frozen=True)
class DemoPerson:
    name: str
    gender: str
    birth_date: date
    positions: tuple[str, ...]
    admin_position: str
    professional_title: str
    title_level: str
    joined_unit_on: date
    phone: str
    political_status: str = PoliticalStatus.PARTY_MEMBER
    ethnicity: str = "汉族"
    education: str = "本科"
    degree: str = "学士"
    university: str = ""
    major: str = ""
    teaching_years: int | None = None
    admin_rank: str = ""
    email: str = ""
    work_history: str = ""
    certificates: tuple[DemoCertificate, ...] = ()
    experiences: tuple[DemoExperience, ...] = ()

    def person_fields(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("certificates", "experiences")}
        values["positions"] = list(self.positions)
        return values


# Years of service are counted up to this year, so the demo is the same whenever it is loaded.
DEMO_YEAR = 2025
HEAD = (Position.SCHOOL_HEAD, Position.LEGAL_REPRESENTATIVE)
DEPUTY = (Position.DEPUTY_HEAD,)

# Persons the demo walks through, by the unit's ``ref`` in orgs.demo_data.
SPECIAL: dict[str, tuple[DemoPerson, ...]] = {
    "jz.jiefang.s1": (
        DemoPerson(
            name="张海涛",
            gender=Gender.MALE,
            birth_date=date(1975, 3, 18),
            positions=HEAD,
            admin_position="校长",
            professional_title="高级教师",
            title_level=TitleLevel.ASSOCIATE_SENIOR,
            joined_unit_on=date(2016, 8, 25),
            phone="13839121875",
            email="zhanghaitao@example.edu.cn",
            degree="文学学士",
            university="河南师范大学",
            major="汉语言文学",
            teaching_years=28,
            work_history="1998.07-2016.08 解放区建设路小学 教师、教导主任、副校长\n2016.08至今 解放区实验小学 校长",
            certificates=(
                DemoCertificate(
                    "cio_training", CertificateLevel.COUNTY, date(2023, 7, 15), "解放区教育局", "JFQ-CIO-2023-017"
                ),
            ),
        ),
        DemoPerson(
            name="刘志强",
            gender=Gender.MALE,
            birth_date=date(1982, 11, 6),
            positions=DEPUTY,
            admin_position="副校长(分管信息化)",
            professional_title="一级教师",
            title_level=TitleLevel.INTERMEDIATE,
            joined_unit_on=date(2008, 9, 1),
            phone="13803912264",
            email="liuzhiqiang@example.edu.cn",
            education="硕士研究生",
            degree="教育学硕士",
            university="河南大学",
            major="教育技术学",
            teaching_years=18,
            work_history="2008.09-2020.08 解放区实验小学 信息技术教师\n2020.09-2023.08 解放区实验小学 信息中心主任\n"
            "2023.09至今 解放区实验小学 副校长",
            certificates=(
                DemoCertificate(
                    "informatization_training",
                    CertificateLevel.CITY,
                    date(2022, 6, 30),
                    "焦作市教育局",
                    "JZ-XXH-2022-0431",
                ),
            ),
            experiences=(
                DemoExperience(
                    date(2020, 9, 1),
                    date(2023, 9, 1),
                    "解放区实验小学",
                    "信息中心主任",
                    "school_informatization_management",
                ),
                DemoExperience(date(2023, 9, 1), None, "解放区实验小学", "副校长(分管信息化)"),
            ),
        ),
    ),
    "hl.s1": (
        DemoPerson(
            name="杨志刚",
            gender=Gender.MALE,
            birth_date=date(1973, 9, 2),
            positions=HEAD,
            admin_position="校长",
            professional_title="正高级教师",
            title_level=TitleLevel.SENIOR,
            joined_unit_on=date(2014, 8, 20),
            phone="13895012736",
            email="yangzhigang@example.edu.cn",
            degree="理学学士",
            university="宁夏大学",
            major="数学与应用数学",
            teaching_years=31,
            work_history="1995.07-2014.08 贺兰县第四中学 教师、副校长\n2014.08至今 贺兰县第一中学 校长",
        ),
        DemoPerson(
            name="马晓燕",
            gender=Gender.FEMALE,
            birth_date=date(1984, 4, 21),
            positions=DEPUTY,
            admin_position="副校长",
            professional_title="高级教师",
            title_level=TitleLevel.ASSOCIATE_SENIOR,
            joined_unit_on=date(2011, 9, 1),
            phone="13895047712",
            ethnicity="回族",
            education="硕士研究生",
            degree="教育学硕士",
            university="宁夏师范学院",
            major="现代教育技术",
            teaching_years=17,
        ),
    ),
    "yc": (
        DemoPerson(
            name="黄国平",
            gender=Gender.MALE,
            birth_date=date(1971, 5, 12),
            positions=(Position.VICE_PRESIDENT_IT,),
            admin_position="副校长(分管信息化工作)",
            professional_title="教授",
            title_level=TitleLevel.SENIOR,
            joined_unit_on=date(2015, 9, 1),
            phone="13879561208",
            email="huangguoping@example.edu.cn",
            education="博士研究生",
            degree="工学博士",
            university="南昌大学",
            major="计算机应用技术",
            teaching_years=30,
            work_history="1996.07-2015.08 南昌大学 讲师、副教授、教授、信息工程学院副院长\n2015.09至今 宜春学院 副校长",
        ),
        DemoPerson(
            name="邓晓明",
            gender=Gender.MALE,
            birth_date=date(1979, 10, 3),
            positions=(Position.FUNCTIONAL_DEPARTMENT_HEAD,),
            admin_position="信息中心主任",
            professional_title="副教授",
            title_level=TitleLevel.ASSOCIATE_SENIOR,
            admin_rank=AdminRank.DIVISION,
            joined_unit_on=date(2006, 7, 1),
            phone="13879574436",
            email="dengxiaoming@example.edu.cn",
            political_status=PoliticalStatus.MASSES,
            education="硕士研究生",
            degree="工学硕士",
            university="江西师范大学",
            major="计算机科学与技术",
            teaching_years=19,
        ),
    ),
}

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"


def _names(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(0, len(text), 2)]


_GIVEN = {
    Gender.MALE: _names("建华国强志明晓东文军建平永刚立新明亮振华卫东新民德胜俊杰宏伟"),
    Gender.FEMALE: _names("秀英丽娟红梅海燕玉兰淑芬春霞金凤彩霞桂英晓红艳玲雪梅慧敏静怡"),
}
_MAJORS = [
    ("汉语言文学", "文学学士", "河南大学"),
    ("数学与应用数学", "理学学士", "河南师范大学"),
    ("教育技术学", "教育学学士", "华中师范大学"),
    ("计算机科学与技术", "工学学士", "郑州大学"),
    ("英语", "文学学士", "信阳师范学院"),
    ("物理学", "理学学士", "内蒙古师范大学"),
]


def _generated(unit_index: int, unit_name: str, school_code: str, ethnicity: str) -> tuple[DemoPerson, DemoPerson]:
    """A head and a deputy for a school without a written-out pair (deterministic: same names every run)."""
    people = []
    for role, offset in ((HEAD, 0), (DEPUTY, 1)):
        seed = unit_index * 2 + offset
        gender = Gender.MALE if seed % 3 else Gender.FEMALE
        given = _GIVEN[gender]
        name = _SURNAMES[(seed * 7) % len(_SURNAMES)] + given[(seed * 11 + 3) % len(given)]
        major, degree, university = _MAJORS[seed % len(_MAJORS)]
        head = role is HEAD
        born = date(1968 + seed % 12 if head else 1978 + seed % 10, 1 + seed % 12, 1 + seed % 28)
        graduated = born.year + 22
        people.append(
            DemoPerson(
                name=name,
                gender=gender,
                birth_date=born,
                positions=role,
                admin_position="校长" if head else "副校长",
                professional_title="高级教师" if head else "一级教师",
                title_level=TitleLevel.ASSOCIATE_SENIOR if head else TitleLevel.INTERMEDIATE,
                joined_unit_on=date(2006 + seed % 13, 9, 1),
                phone=f"138{(seed * 7919 + 12345678) % 100_000_000:08d}",
                email=f"{'xz' if head else 'fxz'}{school_code}@example.edu.cn",
                ethnicity=ethnicity if seed % 3 == 0 else "汉族",
                education="本科" if seed % 4 else "硕士研究生",
                degree=degree,
                university=university,
                major=major,
                teaching_years=min(DEMO_YEAR - graduated, 40),
                work_history=f"{graduated}.07至今 在{unit_name}等校任教",
            )
        )
    return people[0], people[1]


_ETHNICITY = {"hl": "回族", "wh": "蒙古族"}


def demo_people() -> list[tuple[str, str, DemoPerson]]:
    """(MOE code of the unit, its ref, person) for every demo person, in a stable order."""
    rows: list[tuple[str, str, DemoPerson]] = []
    targets = [u for u, _p in all_units() if u.kind in (OrgKind.SCHOOL, OrgKind.UNIVERSITY) and u.moe_code]
    for index, unit in enumerate(targets):
        assert unit.moe_code is not None
        persons = SPECIAL.get(unit.ref) or _generated(
            index, unit.name, unit.moe_code, _ETHNICITY.get(unit.ref.split(".")[0], "汉族")
        )
        rows.extend((unit.moe_code, unit.ref, p) for p in persons)
    return rows


def load_demo_people(actor: Any) -> int:
    """Create the missing demo persons (and their certificates and work history); returns how many were created."""
    rows = demo_people()
    units = {o.moe_code: o for o in Organization.objects.filter(moe_code__in={code for code, _r, _p in rows})}
    existing = set(Person.objects.filter(organization__in=units.values()).values_list("organization_id", "name"))
    missing = [(units[code], p) for code, _ref, p in rows if code in units and (units[code].pk, p.name) not in existing]
    created = Person.objects.bulk_create(
        [Person(organization=unit, created_by=actor, **p.person_fields()) for unit, p in missing]
    )
    certificates, experiences = [], []
    for person, (_unit, demo) in zip(created, missing, strict=True):
        certificates += [Certificate(person=person, **asdict(c)) for c in demo.certificates]
        experiences += [Experience(person=person, **asdict(e)) for e in demo.experiences]
    Certificate.objects.bulk_create(certificates)
    Experience.objects.bulk_create(experiences)
    return len(created)
