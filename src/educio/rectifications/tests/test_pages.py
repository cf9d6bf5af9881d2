"""The rectification pages: scoped lists and details, the unit's report, the bureau's forms, the dashboard."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from educio.appointments.models import AppointmentStatus
from educio.appointments.tests.factories import make_appointment, make_person
from educio.rectifications import selectors
from educio.rectifications.models import OrderStatus, Recognition, RecognitionKind, RectificationOrder
from educio.rectifications.tests.conftest import Jiaozuo, decide_recheck, fail_school, report
from educio.rectifications.tests.factories import add_evidence, make_order, make_recognition, pdf
from educio.testing.content import response_text


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_orders_in_scope_and_flags_the_overdue_ones(jz: Jiaozuo) -> None:
    today = timezone.localdate()
    late = make_order(jz.tree.school, issuer=jz.tree.county, deadline=today - timedelta(days=3), findings="逾期的问题")
    make_order(jz.tree.sibling_school, issuer=jz.tree.county, findings="按期的问题")
    make_order(jz.tree.other_school, issuer=jz.tree.other_county, findings="别的区县")

    page = login(jz.county_admin).get(reverse("rectifications:order_list"))

    html = page.content.decode()
    assert page.status_code == 200
    assert late.number in html
    assert "一区第二中学" in html
    assert "二县实验小学" not in html
    assert html.count('data-overdue="1"') == 1
    overdue_only = login(jz.county_admin).get(reverse("rectifications:order_list"), {"overdue": "1"})
    assert "一区第二中学" not in response_text(overdue_only)


def test_the_org_filter_narrows_to_a_subtree(jz: Jiaozuo) -> None:
    make_order(jz.tree.school, issuer=jz.tree.county)
    make_order(jz.tree.other_school, issuer=jz.tree.other_county)

    page = login(jz.city_admin).get(reverse("rectifications:order_list"), {"org": jz.tree.other_county.pk})

    text = response_text(page)
    assert "二县实验小学" in text
    assert "一区第一小学" not in text


def test_an_order_of_another_county_is_not_found(jz: Jiaozuo) -> None:
    order = make_order(jz.tree.other_school, issuer=jz.tree.other_county)
    client = login(jz.county_admin)

    assert client.get(reverse("rectifications:order_detail", args=[order.pk])).status_code == 404
    assert client.post(reverse("rectifications:order_close", args=[order.pk]), {"reason": "x"}).status_code == 404
    assert RectificationOrder.objects.get(pk=order.pk).status == OrderStatus.OPEN


def test_the_unit_uploads_evidence_and_reports_from_the_order_page(jz: Jiaozuo) -> None:
    order = make_order(jz.tree.school, issuer=jz.tree.city, article="第四条(二)")
    order.recheck_chain_id = "rectification_recheck"
    order.save()
    client = login(jz.cio)

    detail = client.get(reverse("rectifications:order_detail", args=[order.pk]))
    assert 'id="report-form"' in detail.content.decode()
    upload = client.post(reverse("rectifications:evidence_upload", args=[order.pk]), {"file": pdf("会议纪要.pdf")})
    assert upload.status_code == 302
    sent = client.post(reverse("rectifications:order_report", args=[order.pk]), {"report": "已全部整改。"})

    assert sent.status_code == 302
    order = RectificationOrder.objects.get(pk=order.pk)
    assert order.status == OrderStatus.SUBMITTED
    assert order.evidence.get().original_name == "会议纪要.pdf"
    page = login(jz.city_reviewer).get(reverse("rectifications:order_detail", args=[order.pk]))
    html = page.content.decode()
    assert "已全部整改。" in html
    assert "市教育局复查整改情况" in html
    assert 'id="report-form"' not in html


def test_a_report_without_text_is_refused_on_the_page(jz: Jiaozuo) -> None:
    order = make_order(jz.tree.school, issuer=jz.tree.city)
    add_evidence(order)

    response = login(jz.head).post(reverse("rectifications:order_report", args=[order.pk]), {"report": ""})

    assert response.status_code == 400
    assert RectificationOrder.objects.get(pk=order.pk).status == OrderStatus.OPEN


def test_evidence_is_downloaded_in_scope_only(jz: Jiaozuo) -> None:
    evidence = add_evidence(make_order(jz.tree.school, issuer=jz.tree.county), name="整改照片.pdf")
    url = reverse("rectifications:evidence_download", args=[evidence.pk])

    assert login(jz.county_admin).get(url).status_code == 200
    assert login(jz.far_admin).get(url).status_code == 404


def test_a_bureau_opens_an_order_from_the_form(jz: Jiaozuo) -> None:
    client = login(jz.county_admin)
    url = reverse("rectifications:order_create")
    form = client.get(url, {"org": jz.tree.school.pk})
    assert "刘志强" in form.content.decode()

    deadline = timezone.localdate() + timedelta(days=60)
    response = client.post(
        url,
        {
            "org": jz.tree.school.pk,
            "person": jz.appointment.person.pk,
            "findings": "网络安全等级保护测评未开展。",
            "article": "第四条(二)",
            "deadline": deadline.isoformat(),
            "consequence": "revoke_appointment",
        },
    )

    order = RectificationOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rectifications:order_detail", args=[order.pk])
    assert (order.issuer, order.deadline, order.person) == (jz.tree.county, deadline, jz.appointment.person)
    assert order.recheck_chain_id == "rectification_recheck"


def test_the_form_refuses_a_unit_outside_the_scope(jz: Jiaozuo) -> None:
    response = login(jz.county_admin).get(reverse("rectifications:order_create"), {"org": jz.tree.other_school.pk})
    assert response.status_code == 404


def test_a_bureau_extends_the_deadline_and_cancels_an_order(jz: Jiaozuo) -> None:
    order = make_order(jz.tree.school, issuer=jz.tree.county)
    client = login(jz.county_admin)
    later = timezone.localdate() + timedelta(days=90)

    client.post(reverse("rectifications:order_deadline", args=[order.pk]), {"deadline": later.isoformat()})
    client.post(reverse("rectifications:order_close", args=[order.pk]), {"reason": "考核结果已更正。"})

    order = RectificationOrder.objects.get(pk=order.pk)
    assert order.deadline == later
    assert order.status == OrderStatus.CLOSED


def test_the_unit_cannot_cancel_its_own_order(jz: Jiaozuo) -> None:
    order = make_order(jz.tree.school, issuer=jz.tree.county)
    response = login(jz.head).post(reverse("rectifications:order_close", args=[order.pk]), {"reason": "不想整改"})
    assert response.status_code == 403
    assert RectificationOrder.objects.get(pk=order.pk).status == OrderStatus.OPEN


def test_the_export_lists_the_filtered_orders(jz: Jiaozuo) -> None:
    make_order(jz.tree.school, issuer=jz.tree.county, findings="导出的问题")
    response = login(jz.county_admin).get(reverse("rectifications:order_list"), {"export": "xlsx"})

    sheet = load_workbook(BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "导出的问题" in values
    assert "一区第一小学" in values


def test_recognitions_are_recorded_listed_and_shown_for_the_person_and_the_unit(jz: Jiaozuo) -> None:
    client = login(jz.city_admin)
    person = jz.appointment.person
    response = client.post(
        reverse("rectifications:recognition_create"),
        {
            "org": jz.tree.school.pk,
            "kind": RecognitionKind.COMMENDATION,
            "person": person.pk,
            "reason": "获国家级信息化应用成果奖。",
            "date": timezone.localdate().isoformat(),
            "doc_number": "焦教〔2026〕12号",
            "article": "第五条",
        },
    )

    assert response.status_code == 302
    record = Recognition.objects.get()
    assert (record.issuer, record.person, record.kind) == (jz.tree.city, person, RecognitionKind.COMMENDATION)
    assert "获国家级信息化应用成果奖" in response_text(client.get(reverse("rectifications:recognition_list")))
    assert selectors.recognitions_of_person(person, user=jz.county_admin) == [record]
    assert selectors.recognitions_of_unit(jz.tree.school, user=jz.head) == [record]
    assert selectors.recognitions_of_unit(jz.tree.school, user=jz.far_admin) == []


def test_a_recognition_dated_in_the_future_is_refused(jz: Jiaozuo) -> None:
    response = login(jz.city_admin).post(
        reverse("rectifications:recognition_create"),
        {
            "org": jz.tree.school.pk,
            "kind": RecognitionKind.ACCOUNTABILITY,
            "reason": "失职。",
            "date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not Recognition.objects.exists()


def test_the_recognitions_include_renders_the_records(jz: Jiaozuo) -> None:
    from django.template.loader import render_to_string

    make_recognition(jz.tree.school, kind=RecognitionKind.ACCOUNTABILITY, reason="整改逾期。")
    html = render_to_string(
        "rectifications/_recognitions.html",
        {"recognitions": selectors.recognitions_of_unit(jz.tree.school, user=jz.county_admin)},
    )
    assert "整改逾期。" in html
    assert 'data-kind="accountability"' in html


def test_the_dashboard_counts_by_county_and_links_to_the_list(jz: Jiaozuo) -> None:
    today = timezone.localdate()
    make_order(jz.tree.school, issuer=jz.tree.county, deadline=today - timedelta(days=1))
    make_order(jz.tree.sibling_school, issuer=jz.tree.county, status=OrderStatus.PASSED)
    revoked = make_order(jz.tree.other_school, issuer=jz.tree.city, status=OrderStatus.OVERDUE)
    revoked.revoked_appointment = make_appointment(
        jz.tree.other_school, person=make_person(jz.tree.other_school, "赵某"), status=AppointmentStatus.REVOKED
    )
    revoked.save()
    make_order(jz.tree.far_school, issuer=jz.tree.far_county)

    dashboard = selectors.order_dashboard(user=jz.city_admin, root=jz.tree.city)
    rows = {r.unit.name: r.tally for r in dashboard.rows}
    assert (rows["甲市一区教育局"].open, rows["甲市一区教育局"].overdue, rows["甲市一区教育局"].passed) == (1, 1, 1)
    assert (rows["甲市二县教育局"].overdue, rows["甲市二县教育局"].revoked) == (1, 1)
    assert dashboard.total.total == 3

    page = login(jz.city_admin).get(reverse("rectifications:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    overdue_link = f"{reverse('rectifications:order_list')}?org={jz.tree.county.pk}&overdue=1"
    assert overdue_link in html
    assert 'data-chart="rectification-chart-data"' in html
    assert "乙市" not in html
    linked = login(jz.city_admin).get(reverse("rectifications:order_list"), {"org": jz.tree.county.pk, "overdue": "1"})
    assert "一区第一小学" in response_text(linked)
    assert "一区第二中学" not in response_text(linked)


def test_the_dashboard_of_a_unit_outside_the_scope_is_not_found(jz: Jiaozuo) -> None:
    response = login(jz.county_admin).get(reverse("rectifications:dashboard"), {"org": jz.tree.city.pk})
    assert response.status_code == 404


def test_a_failed_order_shows_its_recheck_and_the_revocation(jz: Jiaozuo, django_capture_on_commit_callbacks) -> None:
    order = report(jz, fail_school(jz))
    decide_recheck(
        order.recheck_process, jz.city_reviewer, "reject", django_capture_on_commit_callbacks, "未整改到位。"
    )

    html = login(jz.head).get(reverse("rectifications:order_detail", args=[order.pk])).content.decode()

    assert 'id="revoked-appointment"' in html
    assert "未整改到位。" in html
    assert "已取消刘志强的" in html
    assert 'id="report-form"' not in html
