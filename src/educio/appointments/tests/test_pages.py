"""The nomination and appointment pages, driven over HTTP as the browser would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from educio.appointments.models import Appointment, AppointmentStatus, Nomination, NominationWindow
from educio.appointments.tests.conftest import Jiaozuo, decide_pending, open_window, photo, scan
from educio.appointments.tests.factories import make_appointment, make_person
from educio.testing.content import response_text
from educio.workflow.models import ProcessState

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def started(jz: Jiaozuo) -> tuple[Client, Nomination]:
    open_window(jz.city_reviewer, jz.tree.city)
    client = client_for(jz.cio)
    response = client.post(
        reverse("appointments:nomination_start"), {"org": jz.tree.school.pk, "person": jz.candidate.pk}
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:nomination_edit", kwargs={"pk": nomination.pk})
    return client, nomination


def form_payload(nomination: Nomination, **changes: str) -> dict[str, str]:
    return {**nomination.data, "work_record": "推进智慧校园建设。" * 20, **changes}


def test_the_form_page_shows_the_packs_fields_and_the_live_check(jz: Jiaozuo) -> None:
    client, nomination = started(jz)
    text = response_text(client.get(reverse("appointments:nomination_edit", kwargs={"pk": nomination.pk})))
    for label in (
        "焦作市首席教育信息官推荐表",
        "工作事迹",
        "教龄",
        "曾获主要荣誉称号和奖励",
        "培训合格证",
        "任职条件核验",
    ):
        assert label in text
    assert "填写人对上述所填内容真实性负责并签字" in text
    assert "2026年度" in text or "报送截止" in text


def test_autosave_saves_valid_input_and_refuses_too_long_text(jz: Jiaozuo) -> None:
    client, nomination = started(jz)
    url = reverse("appointments:nomination_autosave", kwargs={"pk": nomination.pk})
    saved = client.post(
        url, form_payload(nomination, **{"honours-0-title": "优秀教师", "honours-0-awarded_on": "2020-09"})
    )
    assert 'data-state="saved"' in saved.content.decode()
    assert 'hx-swap-oob="true"' in saved.content.decode()  # the eligibility panel is refreshed beside the save
    nomination.refresh_from_db()
    assert nomination.honours == [{"title": "优秀教师", "awarded_on": "2020-09", "granted_by": "", "note": ""}]
    refused = client.post(url, form_payload(nomination, work_record="字" * 2001))
    assert 'data-state="error"' in refused.content.decode()
    assert "不能超过2000字" in refused.content.decode()
    nomination.refresh_from_db()
    assert len(nomination.data["work_record"]) == 180


def test_submission_errors_are_shown_then_the_nomination_goes_to_review(jz: Jiaozuo) -> None:
    client, nomination = started(jz)
    submit_url = reverse("appointments:nomination_submit", kwargs={"pk": nomination.pk})
    refused = client.post(submit_url, {"confirmed": "on", "confirmer_name": "刘志强"})
    assert refused.status_code == 400
    assert "请填写工作事迹" in response_text(refused)
    assert "请上传电子照片" in response_text(refused)
    client.post(reverse("appointments:nomination_edit", kwargs={"pk": nomination.pk}), form_payload(nomination))
    upload_url = reverse("appointments:nomination_upload", kwargs={"pk": nomination.pk})
    client.post(upload_url, {"slot": "photo", "file": photo()})
    client.post(upload_url, {"slot": "training_certificate", "file": scan()})
    accepted = client.post(submit_url, {"confirmed": "on", "confirmer_name": "刘志强"})
    assert accepted.status_code == 302
    nomination.refresh_from_db()
    assert nomination.process.state == ProcessState.IN_REVIEW
    detail = response_text(client.get(reverse("appointments:nomination_detail", kwargs={"pk": nomination.pk})))
    assert "所在单位意见" in detail
    assert "刘志强" in detail
    # Once submitted the form is no longer editable.
    assert client.get(reverse("appointments:nomination_edit", kwargs={"pk": nomination.pk})).status_code == 404


def test_a_wrong_upload_is_refused_with_a_message(jz: Jiaozuo) -> None:
    client, nomination = started(jz)
    upload_url = reverse("appointments:nomination_upload", kwargs={"pk": nomination.pk})
    response = client.post(upload_url, {"slot": "photo", "file": scan("photo.exe")}, follow=True)
    assert "只接受" in response_text(response)
    nomination.refresh_from_db()
    assert not nomination.photo


def test_the_city_issues_the_appointment_from_the_approved_nomination(jz: Jiaozuo) -> None:
    client, nomination = started(jz)
    client.post(reverse("appointments:nomination_edit", kwargs={"pk": nomination.pk}), form_payload(nomination))
    upload_url = reverse("appointments:nomination_upload", kwargs={"pk": nomination.pk})
    client.post(upload_url, {"slot": "photo", "file": photo()})
    client.post(upload_url, {"slot": "training_certificate", "file": scan()})
    client.post(
        reverse("appointments:nomination_submit", kwargs={"pk": nomination.pk}),
        {"confirmed": "on", "confirmer_name": "刘志强"},
    )
    for reviewer in (jz.head, jz.county_reviewer, jz.city_reviewer):
        decide_pending(nomination, reviewer)
    city = client_for(jz.city_reviewer)
    issue_url = reverse("appointments:appointment_issue", kwargs={"pk": nomination.pk})
    refused = city.post(issue_url, {"doc_number": "", "doc_date": "", "starts_on": ""})
    assert refused.status_code == 400
    today = timezone.localdate().isoformat()
    response = city.post(issue_url, {"doc_number": "焦教文〔2026〕7号", "doc_date": today, "starts_on": today})
    appointment = Appointment.objects.get()
    assert response["Location"] == reverse("appointments:appointment_detail", kwargs={"pk": appointment.pk})
    listing = response_text(city.get(reverse("appointments:appointment_list") + "?status=active"))
    assert "焦教文〔2026〕7号" in listing
    assert "刘志强" in listing
    county = client_for(jz.county_reviewer)
    assert county.post(issue_url, {"doc_number": "x", "doc_date": today, "starts_on": today}).status_code == 400


def test_revoke_and_change_from_the_appointment_page(jz: Jiaozuo) -> None:
    appointment = make_appointment(jz.tree.school, person=jz.candidate)
    newcomer = make_person(jz.tree.school, "继任者")
    open_window(jz.city_reviewer, jz.tree.city)
    change = client_for(jz.cio).post(
        reverse("appointments:appointment_succession", kwargs={"pk": appointment.pk}),
        {"kind": "change", "person": newcomer.pk, "change_reason": "原首席信息官退休。"},
    )
    nomination = Nomination.objects.get()
    assert change["Location"] == reverse("appointments:nomination_edit", kwargs={"pk": nomination.pk})
    assert nomination.replaces == appointment
    assert nomination.change_reason == "原首席信息官退休。"
    revoke_url = reverse("appointments:appointment_revoke", kwargs={"pk": appointment.pk})
    city = client_for(jz.city_reviewer)
    assert city.post(revoke_url, {"reason": "", "doc_number": ""}).status_code == 400
    city.post(revoke_url, {"reason": "考核整改不合格", "doc_number": "焦教文〔2026〕9号", "article": "第四条(二)"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.REVOKED
    detail = response_text(city.get(reverse("appointments:appointment_detail", kwargs={"pk": appointment.pk})))
    assert "焦教文〔2026〕9号" in detail
    assert "第四条(二)" in detail


def test_a_bureau_opens_a_window_a_school_cannot(jz: Jiaozuo) -> None:
    url = reverse("appointments:window_list")
    today = timezone.localdate()
    payload = {
        "organization": jz.tree.county.pk,
        "post": "cio",
        "title": "一区推荐",
        "opens_on": today.isoformat(),
        "deadline": (today + timedelta(days=20)).isoformat(),
    }
    assert client_for(jz.cio).post(url, payload).status_code == 403
    response = client_for(jz.county_reviewer).post(url, payload)
    assert response.status_code == 302
    assert NominationWindow.objects.get().organization == jz.tree.county


def test_the_summary_sheet_lists_the_nominations_in_scope(jz: Jiaozuo) -> None:
    started(jz)
    export = client_for(jz.county_reviewer).get(reverse("appointments:nomination_list") + "?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    far = client_for(jz.far_reviewer).get(reverse("appointments:nomination_list"))
    assert "刘志强" not in response_text(far)
