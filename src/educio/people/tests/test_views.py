"""Person pages: masked list and export, the logged full view, forms, parts of the record, files in scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from educio.accounts.tests.factories import user_with_role
from educio.appointments.models import Appointment, AppointmentStatus
from educio.audit.models import EventKind, SecurityEvent
from educio.people.models import Certificate, Experience, Honour, Person, Position
from educio.people.tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    CertificateFactory,
    ExperienceFactory,
    HonourFactory,
    PersonFactory,
)
from educio.policies.models import PackAdoption
from educio.policies.services import PACKS_DIR, seed_pack_load
from educio.testing.content import response_text

PHONE = "13812345678"
EMAIL = "zhangming@example.cn"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def head(tree):
    return user_with_role("school_head", tree.school)


@pytest.fixture
def person(tree):
    return PersonFactory(
        organization=tree.school,
        name="张明",
        phone=PHONE,
        email=EMAIL,
        address="一区示例路1号",
        positions=[Position.SCHOOL_HEAD],
        admin_position="校长",
        professional_title="高级教师",
    )


def adopt(org, pack_id: str, by) -> None:
    pack = seed_pack_load(PACKS_DIR / f"{pack_id}.yaml").pack
    PackAdoption.objects.create(organization=org, pack=pack, adopted_by=by)


# --- list and export ------------------------------------------------------------------------------


def test_list_shows_persons_in_scope_with_masked_phones(tree, person, county_admin):
    PersonFactory(organization=tree.far_school, name="域外人员")

    body = login(county_admin).get(reverse("people:list")).content.decode()

    assert "张明" in body
    assert "138****5678" in body
    assert PHONE not in body
    assert "域外人员" not in body


def test_tree_selection_narrows_the_list_to_the_subtree(tree, person, county_admin):
    PersonFactory(organization=tree.sibling_school, name="邻校人员")
    client = login(county_admin)

    body = client.get(reverse("people:list"), {"org": tree.school.pk}).content.decode()

    assert "张明" in body
    assert "邻校人员" not in body
    assert client.get(reverse("people:list"), {"org": tree.far_school.pk}).status_code == 404


def test_filters_by_name_position_and_status(tree, person, county_admin):
    PersonFactory(organization=tree.school, name="李副", positions=[Position.DEPUTY_HEAD])
    PersonFactory(organization=tree.school, name="王离", is_active=False)
    client = login(county_admin)

    def names(**params) -> set[str]:
        text = client.get(reverse("people:list"), params).content.decode()
        return {n for n in ("张明", "李副", "王离") if n in text}

    assert names(q="张") == {"张明"}
    assert names(position="deputy_head") == {"李副"}
    assert names(position="department_head") == set()  # not a substring match of functional_department_head
    assert names(is_active="false") == {"王离"}


def test_export_masks_phone_and_email_and_is_logged(tree, person, county_admin):
    response = login(county_admin).get(reverse("people:list"), {"export": "xlsx"})

    text = response_text(response)
    assert response.status_code == 200
    assert "张明" in text
    assert "138****5678" in text
    assert "zh***@example.cn" in text
    assert PHONE not in text
    assert EMAIL not in text
    assert "1980-05-12" not in text
    assert SecurityEvent.objects.filter(kind=EventKind.EXPORT, user=county_admin).exists()


def test_roles_without_person_view_see_no_list(tree):
    liaison = user_with_role("liaison", tree.school)
    assert login(liaison).get(reverse("people:list")).status_code == 403


# --- detail ---------------------------------------------------------------------------------------


def test_detail_shows_personal_data_in_full_and_logs_the_view(tree, person, county_admin):
    body = login(county_admin).get(reverse("people:detail", args=[person.pk])).content.decode()

    assert PHONE in body
    assert EMAIL in body
    assert "一区示例路1号" in body
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA_VIEW, user=county_admin)
    assert "张明" in event.detail
    assert event.org_path == tree.school.path


def test_detail_outside_the_scope_is_404_and_not_logged(tree, person):
    outsider = user_with_role("bureau_admin", tree.far_city)
    assert login(outsider).get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert not SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_VIEW).exists()


def test_detail_lists_the_record_with_pack_labels_and_the_eligibility_check(tree, person, city_admin):
    adopt(tree.city, "jiaozuo-2022", city_admin)
    CertificateFactory(person=person, kind="cio_training", level="county")
    ExperienceFactory(person=person, kind="school_informatization_management", unit_name="一区第一小学")
    HonourFactory(person=person, title="市级优秀校长")

    body = login(city_admin).get(reverse("people:detail", args=[person.pk])).content.decode()

    assert "CIO培训合格证" in body  # the pack's label, not the code
    assert "从事学校信息化管理工作" in body
    assert "市级优秀校长" in body
    assert "符合任职条件" in body
    assert "第二条(二):持有CIO培训合格证(县级)" in body


def test_detail_lists_the_persons_appointments(tree, person, county_admin):
    appointment = Appointment.objects.create(
        organization=tree.school,
        post="cio",
        post_name="首席教育信息官(CIO)",
        person=person,
        doc_number="甲教〔2024〕9号",
        doc_date=date(2024, 9, 1),
        starts_on=date(2024, 9, 1),
        status=AppointmentStatus.ACTIVE,
        issued_by=county_admin,
    )

    body = login(county_admin).get(reverse("people:detail", args=[person.pk])).content.decode()

    assert "甲教〔2024〕9号" in body
    assert reverse("appointments:appointment_detail", args=[appointment.pk]) in body
    assert "暂无推荐记录" in body


# --- create, edit, (de)activate -----------------------------------------------------------------------


FORM = {
    "name": "赵新",
    "gender": "女",
    "birth_date": "1985-03-04",
    "political_status": "中共党员",
    "positions": ["deputy_head"],
    "phone": "13900001111",
    "email": "",
    "joined_unit_on": "2015-09-01",
}


def test_create_through_the_page_with_a_photo(tree, head):
    photo = SimpleUploadedFile("me.png", PNG_BYTES, content_type="image/png")

    response = login(head).post(reverse("people:create", args=[tree.school.pk]), {**FORM, "photo": photo})

    person = Person.objects.get(name="赵新")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.positions == ["deputy_head"]
    assert person.photo
    photo_response = login(head).get(reverse("people:photo", args=[person.pk]))
    assert photo_response.status_code == 200
    assert b"".join(photo_response.streaming_content) == PNG_BYTES


def test_create_shows_service_errors_on_the_form(tree, head):
    response = login(head).post(reverse("people:create", args=[tree.school.pk]), {**FORM, "birth_date": "2015-01-01"})

    assert response.status_code == 400
    assert "年龄应在18至70岁之间" in response.content.decode()
    assert not Person.objects.exists()


def test_create_for_a_unit_outside_the_scope_is_404(tree, head):
    assert login(head).post(reverse("people:create", args=[tree.sibling_school.pk]), FORM).status_code == 404
    assert not Person.objects.exists()


def test_edit_form_shows_the_full_phone_and_logs_it(tree, person, head):
    client = login(head)
    body = client.get(reverse("people:update", args=[person.pk])).content.decode()
    assert PHONE in body
    assert SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_VIEW, user=head).count() == 1

    response = client.post(reverse("people:update", args=[person.pk]), {**FORM, "name": "张明", "phone": PHONE})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.gender, person.positions) == ("女", ["deputy_head"])


def test_inspectors_read_but_do_not_edit(tree, person):
    inspector = user_with_role("inspector", tree.county)
    client = login(inspector)
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 200
    body = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "edit-person" not in body
    assert "add-experience" not in body
    assert client.get(reverse("people:update", args=[person.pk])).status_code == 403
    assert client.post(reverse("people:set_active", args=[person.pk]), {"active": "0"}).status_code == 403
    assert Person.objects.get(pk=person.pk).is_active


def test_mark_as_left_and_back(tree, person, head):
    client = login(head)
    client.post(reverse("people:set_active", args=[person.pk]), {"active": "0"})
    assert not Person.objects.get(pk=person.pk).is_active
    client.post(reverse("people:set_active", args=[person.pk]), {"active": "1"})
    assert Person.objects.get(pk=person.pk).is_active


# --- parts of the record --------------------------------------------------------------------------------


def test_add_and_remove_an_experience_from_the_detail_page(tree, person, head, city_admin):
    adopt(tree.city, "jiaozuo-2022", city_admin)
    client = login(head)

    response = client.post(
        reverse("people:experience_add", args=[person.pk]),
        {"started_on": "2019-09-01", "unit_name": "一区第一小学", "kind": "school_informatization_management"},
    )
    line = Experience.objects.get()
    remove = client.post(reverse("people:experience_remove", args=[line.pk]))

    assert response["Location"].endswith("#experiences")
    assert line.kind == "school_informatization_management"
    assert remove.status_code == 302
    assert not Experience.objects.exists()


def test_a_kind_the_pack_does_not_offer_is_refused_by_the_form(tree, person, head, city_admin):
    adopt(tree.city, "jiaozuo-2022", city_admin)
    response = login(head).post(
        reverse("people:certificate_add", args=[person.pk]),
        {"kind": "made_up", "level": "city", "issued_on": "2023-01-01", "issuer": "局"},
        follow=True,
    )
    assert "未保存" in response.content.decode()
    assert not Certificate.objects.exists()


def test_certificate_with_scan_is_downloaded_in_scope_and_logged(tree, person, head, city_admin):
    adopt(tree.city, "jiaozuo-2022", city_admin)
    scan = SimpleUploadedFile("证书.pdf", PDF_BYTES, content_type="application/pdf")
    login(head).post(
        reverse("people:certificate_add", args=[person.pk]),
        {"kind": "cio_training", "level": "county", "issued_on": "2023-07-01", "issuer": "一区教育局", "scan": scan},
    )
    certificate = Certificate.objects.get()
    url = reverse("people:certificate_scan", args=[certificate.pk])

    response = login(head).get(url)
    outsider = user_with_role("bureau_admin", tree.far_city)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_VIEW, detail__contains="证书扫描件").exists()
    assert login(outsider).get(url).status_code == 404


def test_without_a_pack_the_platforms_certificate_kinds_are_offered(tree, person, head):
    page = login(head).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "CIO培训合格证" in page
    client = login(head)
    refused = client.post(
        reverse("people:certificate_add", args=[person.pk]),
        {"kind": "provincial_cio", "level": "provincial", "issued_on": "2023-07-01", "issuer": "省教育厅"},
    )
    assert refused.status_code == 302
    assert not Certificate.objects.exists()
    client.post(
        reverse("people:certificate_add", args=[person.pk]),
        {"kind": "cio_training", "level": "provincial", "issued_on": "2023-07-01", "issuer": "省教育厅"},
    )
    assert Certificate.objects.get().kind == "cio_training"


def test_honour_form_errors_are_shown_and_nothing_saved(tree, person, head):
    response = login(head).post(
        reverse("people:honour_add", args=[person.pk]), {"title": "", "awarded_on": "2099-01-01"}, follow=True
    )
    body = response.content.decode()
    assert "未保存" in body
    assert "荣誉名称" in body
    assert not Honour.objects.exists()


def test_removing_parts_of_a_record_outside_the_scope_is_404(tree, head):
    stranger = PersonFactory(organization=tree.sibling_school)
    honour = HonourFactory(person=stranger)
    assert login(head).post(reverse("people:honour_remove", args=[honour.pk])).status_code == 404
    assert Honour.objects.filter(pk=honour.pk).exists()


def test_photo_of_a_person_without_one_is_404(tree, person, head):
    assert login(head).get(reverse("people:photo", args=[person.pk])).status_code == 404
