"""Writes to person records: who may, what is checked, and that a refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments.models import Appointment, AppointmentStatus
from educio.audit.models import ChangeLogEntry
from educio.people import services
from educio.people.models import Certificate, Experience, Honour, Person, Position, TitleLevel
from educio.people.tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    CertificateFactory,
    ExperienceFactory,
    HonourFactory,
    PersonFactory,
)

VALID = {
    "name": "张明",
    "gender": "男",
    "birth_date": date(1980, 5, 12),
    "political_status": "中共党员",
    "phone": "13800001111",
    "email": "zhangming@example.cn",
    "positions": [Position.SCHOOL_HEAD],
    "professional_title": "高级教师",
    "joined_unit_on": date(2012, 9, 1),
}


def today() -> date:
    return timezone.localdate()


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.fixture
def head(tree):
    return user_with_role("school_head", tree.school)


def create(actor, org, **changes):
    return services.person_create(actor=actor, organization=org, **{**VALID, **changes})


# --- create and update --------------------------------------------------------------------------


def test_school_head_adds_a_person_and_the_change_is_logged_with_the_actor(tree, head):
    person = create(head, tree.school)

    assert person.organization == tree.school
    assert person.created_by == head
    assert person.title_level == TitleLevel.ASSOCIATE_SENIOR  # read from 高级教师
    entry = ChangeLogEntry.objects.get(object_pk=str(person.pk), content_type__model="person")
    assert entry.actor == head
    assert entry.org_path == tree.school.path


def test_nobody_adds_persons_outside_their_scope(tree, head):
    with pytest.raises(PermissionDenied):
        create(head, tree.sibling_school)
    assert not Person.objects.exists()


def test_roles_that_only_read_persons_cannot_write_them(tree):
    inspector = user_with_role("inspector", tree.county)
    person = PersonFactory(organization=tree.school)

    with pytest.raises(PermissionDenied):
        create(inspector, tree.school)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=inspector, person=person, name="改名")
    with pytest.raises(PermissionDenied):
        services.honour_add(actor=inspector, person=person, title="荣誉", awarded_on=date(2020, 1, 1))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"birth_date": date(2015, 1, 1)}, "birth_date", "年龄应在18至70岁之间"),
        ({"birth_date": date(1940, 1, 1)}, "birth_date", "年龄应在18至70岁之间"),
        ({"joined_unit_on": date(2099, 1, 1)}, "joined_unit_on", "不能晚于今天"),
        ({"joined_unit_on": date(1979, 1, 1)}, "joined_unit_on", "不能早于出生日期"),
        ({"phone": "12345"}, "phone", "请填写11位手机号码或带区号的固定电话"),
        ({"email": "not-an-email"}, "email", "电子邮箱格式不正确"),
        ({"positions": ["school_head", "janitor"]}, "positions", "未知的任职岗位:janitor"),
        ({"name": "张" * 41}, "name", "姓名最多40个字,现有41个"),
        ({"name": "  "}, "name", "请填写姓名"),
        ({"gender": "X"}, "gender", "性别“X”不是可选的值"),
        ({"teaching_years": 61}, "teaching_years", "教龄不能超过60年"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_reason_and_nothing_saved(tree, head, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        create(head, tree.school, **changes)

    assert any(message in m for m in errors_of(exc)[field]), errors_of(exc)
    assert not Person.objects.exists()


def test_every_error_of_a_record_is_reported_at_once(tree, head):
    with pytest.raises(ValidationError) as exc:
        create(head, tree.school, phone="1", birth_date=date(2020, 1, 1), positions=["x"])
    assert {"phone", "birth_date", "positions"} <= set(errors_of(exc))


def test_the_same_person_is_not_entered_twice_at_a_unit(tree, head):
    create(head, tree.school)

    with pytest.raises(ValidationError) as exc:
        create(head, tree.school, phone="13900002222")

    assert "请勿重复录入" in errors_of(exc)["name"][0]
    create(head, tree.school, birth_date=date(1985, 1, 1))  # a namesake born another day is someone else
    assert Person.objects.count() == 2


def test_no_persons_are_added_to_a_deactivated_unit(tree, head):
    tree.school.is_active = False
    tree.school.save()
    with pytest.raises(ValidationError, match="已停用"):
        create(head, tree.school)


def test_update_changes_the_record_and_rechecks_it(tree, head):
    person = create(head, tree.school)

    services.person_update(actor=head, person=person, admin_position="副校长", positions=["deputy_head"])
    with pytest.raises(ValidationError):
        services.person_update(actor=head, person=person, phone="abc")

    person.refresh_from_db()
    assert (person.admin_position, person.positions, person.phone) == ("副校长", ["deputy_head"], VALID["phone"])


def test_a_person_in_office_cannot_be_marked_as_left(tree, head):
    person = create(head, tree.school)
    Appointment.objects.create(
        organization=tree.school,
        post="cio",
        post_name="首席信息官",
        person=person,
        doc_number="测〔2024〕1号",
        doc_date=date(2024, 9, 1),
        starts_on=date(2024, 9, 1),
        status=AppointmentStatus.ACTIVE,
        issued_by=head,
    )

    with pytest.raises(ValidationError, match="仍在任"):
        services.person_deactivate(actor=head, person=person)
    assert Person.objects.get(pk=person.pk).is_active


def test_deactivate_and_reactivate(tree, head):
    person = create(head, tree.school)

    assert services.person_deactivate(actor=head, person=person).is_active is False
    with pytest.raises(ValidationError, match="已经是离职状态"):
        services.person_deactivate(actor=head, person=person)
    assert services.person_reactivate(actor=head, person=person).is_active is True


# --- uploads -------------------------------------------------------------------------------------------


def photo(content: bytes = PNG_BYTES, name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_photo_is_stored_under_a_random_name(tree, head):
    person = create(head, tree.school, photo=photo())

    assert person.photo.name.startswith("persons/photos/")
    assert "照片" not in person.photo.name
    assert default_storage.open(person.photo.name).read() == PNG_BYTES


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (photo(name="照片.gif"), "只能是 JPG、PNG 文件"),
        (photo(content=b"<html>not an image</html>"), "不是有效的 PNG 文件"),
        (photo(content=PDF_BYTES, name="scan.jpg"), "不是有效的 JPG 文件"),
        (photo(content=PNG_BYTES + b"\x00" * (5 * 1024 * 1024)), "不能超过 5 MB"),
    ],
)
def test_photos_of_another_type_or_too_large_are_refused(tree, head, upload, message):
    with pytest.raises(ValidationError) as exc:
        create(head, tree.school, photo=upload)
    assert message in errors_of(exc)["photo"][0]
    assert not Person.objects.exists()


def test_replacing_a_photo_drops_the_old_file_once_committed(tree, head, django_capture_on_commit_callbacks):
    person = create(head, tree.school, photo=photo())
    old = person.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_photo_set(actor=head, person=person, photo=photo())

    assert person.photo.name != old
    assert not default_storage.exists(old)
    assert default_storage.exists(person.photo.name)


def test_certificate_scan_must_be_pdf_or_image_within_10_mb(tree, head):
    person = PersonFactory(organization=tree.school)
    fields = {"kind": "cio_training", "level": "county", "issued_on": date(2023, 7, 1), "issuer": "教育局"}

    scan = SimpleUploadedFile("证书.pdf", PDF_BYTES, content_type="application/pdf")
    certificate = services.certificate_add(actor=head, person=person, scan=scan, **fields)
    too_large = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError, match="不能超过 10 MB"):
        services.certificate_add(actor=head, person=person, scan=too_large, **fields)
    with pytest.raises(ValidationError, match="只能是 PDF、JPG、PNG 文件"):
        services.certificate_add(actor=head, person=person, scan=photo(name="x.docx"), **fields)

    assert certificate.scan.name.endswith(".pdf")
    assert Certificate.objects.count() == 1


# --- experiences, honours, certificates -------------------------------------------------------------


def test_experience_with_a_pack_kind_is_added_and_removed(tree, head):
    person = PersonFactory(organization=tree.school)

    line = services.experience_add(
        actor=head,
        person=person,
        started_on=date(2020, 9, 1),
        unit_name="一区第一小学",
        position="信息中心主任",
        kind="school_informatization_management",
    )
    services.experience_remove(actor=head, experience=line)

    assert not Experience.objects.exists()
    assert ChangeLogEntry.objects.filter(content_type__model="experience", actor=head).count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ended_on": date(2019, 1, 1)}, "ended_on", "结束时间不能早于起始时间"),
        ({"started_on": date(2099, 1, 1)}, "started_on", "起始时间不能晚于今天"),
        ({"kind": "学校信息化"}, "kind", "小写字母"),
        ({"unit_name": ""}, "unit_name", "请填写工作单位"),
    ],
)
def test_experience_checks(tree, head, changes, field, message):
    person = PersonFactory(organization=tree.school)
    fields = {"started_on": date(2020, 9, 1), "unit_name": "一区第一小学", **changes}
    with pytest.raises(ValidationError) as exc:
        services.experience_add(actor=head, person=person, **fields)
    assert message in errors_of(exc)[field][0]
    assert not Experience.objects.exists()


def test_certificate_kind_is_any_pack_code_and_level_must_be_known(tree, head):
    person = PersonFactory(organization=tree.school)
    fields = {"issued_on": date(2023, 7, 1), "issuer": "教育局"}

    services.certificate_add(actor=head, person=person, kind="provincial_cio_programme", level="provincial", **fields)
    with pytest.raises(ValidationError, match="请选择培训级别"):
        services.certificate_add(actor=head, person=person, kind="cio_training", level="galactic", **fields)
    with pytest.raises(ValidationError, match="小写字母"):
        services.certificate_add(actor=head, person=person, kind="CIO 证书", level="city", **fields)
    with pytest.raises(ValidationError, match="发证日期不能晚于今天"):
        services.certificate_add(
            actor=head,
            person=person,
            kind="cio_training",
            level="city",
            **{**fields, "issued_on": today() + timedelta(1)},
        )
    assert Certificate.objects.count() == 1


def test_honour_add_and_remove(tree, head):
    person = PersonFactory(organization=tree.school)
    honour = services.honour_add(
        actor=head, person=person, title="市级优秀教师", awarded_on=date(2021, 9, 10), granted_by="甲市教育局"
    )
    assert Honour.objects.get().granted_by == "甲市教育局"
    services.honour_remove(actor=head, honour=honour)
    assert not Honour.objects.exists()


def test_parts_of_a_record_outside_the_scope_cannot_be_removed(tree, head):
    stranger = PersonFactory(organization=tree.far_school)
    rows = [ExperienceFactory(person=stranger), HonourFactory(person=stranger), CertificateFactory(person=stranger)]

    with pytest.raises(PermissionDenied):
        services.experience_remove(actor=head, experience=rows[0])
    with pytest.raises(PermissionDenied):
        services.honour_remove(actor=head, honour=rows[1])
    with pytest.raises(PermissionDenied):
        services.certificate_remove(actor=head, certificate=rows[2])
    assert (Experience.objects.count(), Honour.objects.count(), Certificate.objects.count()) == (1, 1, 1)


def test_removing_a_certificate_deletes_its_scan_once_committed(tree, head, django_capture_on_commit_callbacks):
    person = PersonFactory(organization=tree.school)
    scan = SimpleUploadedFile("证书.pdf", PDF_BYTES, content_type="application/pdf")
    certificate = services.certificate_add(
        actor=head, person=person, kind="cio_training", level="city", issued_on=date(2023, 1, 1), issuer="局", scan=scan
    )
    name = certificate.scan.name

    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_remove(actor=head, certificate=certificate)

    assert not default_storage.exists(name)
