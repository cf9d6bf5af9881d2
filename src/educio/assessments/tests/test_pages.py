"""The assessment pages, driven over HTTP as the browser would."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from educio.assessments import indicators
from educio.assessments.models import (
    Appeal,
    AssessmentCycle,
    AssessmentSubject,
    CycleStatus,
    EvidenceFile,
    IndicatorTemplate,
    ReviewerAssignment,
    SubjectStatus,
)
from educio.assessments.tests.conftest import City, client_for, opened, pdf
from educio.assessments.tests.factories import assign, self_assess
from educio.testing.content import response_text, xlsx_rows

pytestmark = pytest.mark.django_db


def subject_of(cycle: AssessmentCycle, unit: object) -> AssessmentSubject:
    return AssessmentSubject.objects.get(cycle=cycle, organization=unit)


def test_a_cycle_runs_from_opening_to_appeal_over_http(city: City) -> None:
    tree = city.tree
    admin = client_for(city.admin)
    today = timezone.localdate()
    created = admin.post(
        reverse("assessments:cycle_create"),
        {
            "org": tree.city.pk,
            "cycle_id": "cio_annual_evaluation",
            "year": today.year,
            "self_deadline": (today + timedelta(days=10)).isoformat(),
            "review_deadline": (today + timedelta(days=20)).isoformat(),
        },
    )
    cycle = AssessmentCycle.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("assessments:cycle_detail", args=[cycle.pk])
    assert cycle.name == f"{today.year}年度首席信息官年度测评"
    assert admin.post(reverse("assessments:cycle_open", args=[cycle.pk])).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN

    # The school's CIO fills the self-assessment, attaches evidence and submits.
    subject = subject_of(cycle, tree.school)
    school = client_for(city.cio)
    page = school.get(reverse("assessments:self_assessment", args=[subject.pk]))
    assert "信息化发展规划与实施方案" in response_text(page)
    assert "本校信息化发展规划、实施方案" in response_text(page)
    leaves = indicators.leaves(cycle.indicators)
    upload = school.post(
        reverse("assessments:evidence_upload", args=[subject.pk]), {"indicator": leaves[0].id, "file": pdf()}
    )
    assert upload.status_code == 302
    assert EvidenceFile.objects.get().original_name == "规划.pdf"
    payload = {f"text-{leaf.id}": f"{leaf.name}:已落实。" for leaf in leaves}
    submitted = school.post(reverse("assessments:self_assessment", args=[subject.pk]), {**payload, "submit": "1"})
    assert submitted.status_code == 302
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.SELF_ASSESSED

    # The bureau assigns the expert; the expert scores everything at 50% and submits: the result is computed.
    assigned = admin.post(
        reverse("assessments:cycle_assign", args=[cycle.pk]), {"reviewer": city.expert.pk, "subjects": [subject.pk]}
    )
    assert assigned.status_code == 302
    assert ReviewerAssignment.objects.filter(subject=subject, reviewer=city.expert).exists()
    expert = client_for(city.expert)
    tasks = expert.get(reverse("assessments:my_reviews"))
    assert tree.school.name in response_text(tasks)
    scores = {f"score-{leaf.id}": str(leaf.weight / 2) for leaf in leaves}
    scored = expert.post(reverse("assessments:review", args=[subject.pk]), {**scores, "submit": "1"})
    assert scored.status_code == 302, response_text(scored)
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.REVIEWED
    assert str(subject.total) == "50.00"
    assert subject.grade == "不合格"

    # Before publication the unit does not see the score.
    assert "50.00" not in response_text(school.get(reverse("assessments:subject_detail", args=[subject.pk])))
    published = admin.post(
        reverse("assessments:cycle_publish", args=[cycle.pk]),
        {"appeal_deadline": (today + timedelta(days=15)).isoformat()},
    )
    assert published.status_code == 302
    detail = response_text(school.get(reverse("assessments:subject_detail", args=[subject.pk])))
    assert "50.00" in detail
    assert "不合格" in detail
    assert "评审人1" in detail
    assert "专家甲" not in detail

    # One appeal, decided by the bureau; a second one is refused.
    appeal_url = reverse("assessments:appeal", args=[subject.pk])
    assert school.post(appeal_url, {"reasons": "第三项材料漏评。"}).status_code == 302
    decided = admin.post(
        reverse("assessments:appeal_decide", args=[subject.pk]),
        {"decision": "changed", "new_total": "62", "note": "复核后补评。"},
    )
    assert decided.status_code == 302
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.PUBLISHED
    assert subject.grade == "合格"
    assert subject.passed
    again = school.post(appeal_url, {"reasons": "再次申诉。"}, follow=True)
    assert "只能申诉一次" in response_text(again)
    assert Appeal.objects.count() == 1


def test_an_expert_sees_only_the_subjects_assigned_to_it(city: City) -> None:
    cycle = opened(city)
    mine = self_assess(subject_of(cycle, city.tree.school), city.cio)
    other = self_assess(subject_of(cycle, city.tree.sibling_school), city.sibling_cio)
    assign(mine, city.expert, city.admin)
    assign(other, city.second_expert, city.admin)
    expert = client_for(city.expert)
    assert expert.get(reverse("assessments:review", args=[mine.pk])).status_code == 200
    assert expert.get(reverse("assessments:review", args=[other.pk])).status_code == 404
    # The subject pages and the cycle pages are not the expert's: it holds no right to view assessments.
    assert expert.get(reverse("assessments:subject_detail", args=[mine.pk])).status_code == 403
    assert expert.get(reverse("assessments:cycle_detail", args=[cycle.pk])).status_code == 403
    api = reverse("api-v1:assessment_review_detail", kwargs={"subject_id": other.pk})
    assert expert.get(api).status_code == 404
    listed = expert.get(reverse("api-v1:assessment_review_list")).json()
    assert [row["subject"]["id"] for row in listed["items"]] == [mine.pk]
    assert expert.get(reverse("api-v1:assessment_subject_list")).status_code == 403
    evidence = EvidenceFile.objects.create(
        subject=other, indicator_id="planning", file=pdf(), original_name="x.pdf", size=15, uploaded_by=city.cio
    )
    assert expert.get(reverse("assessments:review_evidence", args=[evidence.pk])).status_code == 404


def test_the_cycle_page_counts_by_county_and_links_to_the_filtered_list(city: City) -> None:
    cycle = opened(city)
    self_assess(subject_of(cycle, city.tree.school), city.cio)
    admin = client_for(city.admin)
    page = admin.get(reverse("assessments:cycle_detail", args=[cycle.pk]))
    text = response_text(page)
    assert city.tree.county.name in text
    assert city.tree.other_county.name in text
    link = f"?branch={city.tree.county.pk}&status=self_assessed"
    assert link.replace("&", "&amp;") in page.content.decode()
    filtered = admin.get(reverse("assessments:subject_list", args=[cycle.pk]) + link)
    rows = response_text(filtered)
    assert city.tree.school.name in rows
    assert city.tree.sibling_school.name not in rows
    # 二县实验小学 has no CIO: listed as vacant, not assessed.
    vacant = admin.get(reverse("assessments:subject_list", args=[cycle.pk]) + "?status=vacant")
    assert city.tree.other_school.name in response_text(vacant)


def test_a_county_sees_its_own_schools_of_the_city_cycle(city: City) -> None:
    cycle = opened(city)
    county = client_for(city.county_admin)
    listed = response_text(county.get(reverse("assessments:subject_list", args=[cycle.pk])))
    assert city.tree.school.name in listed
    assert city.tree.other_school.name not in listed
    other = subject_of(cycle, city.tree.other_school)
    assert county.get(reverse("assessments:subject_detail", args=[other.pk])).status_code == 404
    # The county may look but not run the city's cycle.
    assert county.post(reverse("assessments:cycle_open", args=[cycle.pk])).status_code == 404


def test_exports_the_subjects_the_yearly_sheet_and_the_report(city: City) -> None:
    cycle = opened(city)
    subject = self_assess(subject_of(cycle, city.tree.school), city.cio)
    AssessmentSubject.objects.filter(pk=subject.pk).update(
        status=SubjectStatus.PUBLISHED, total=55, grade="不合格", passed=False, published_at=timezone.now()
    )
    admin = client_for(city.admin)
    sheet = admin.get(reverse("assessments:subject_list", args=[cycle.pk]) + "?export=xlsx")
    rows = xlsx_rows(sheet.content)
    assert rows[0][0] == "单位"
    assert any(r[0] == city.tree.school.name and r[6] == "不合格" for r in rows[1:])
    school = client_for(city.cio)
    yearly = school.get(reverse("assessments:results") + f"?year={cycle.year}&export=xlsx")
    result_rows = xlsx_rows(yearly.content)
    assert [r[3] for r in result_rows[1:]] == [city.tree.school.name]
    report = admin.get(reverse("assessments:cycle_report", args=[cycle.pk]))
    document = Document(io.BytesIO(report.content))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert cycle.name in text
    assert city.tree.school.name in text
    assert "不合格单位名单" in text
    assert city.tree.county.name in text


def test_the_template_editor_copies_validates_and_saves(city: City) -> None:
    admin = client_for(city.admin)
    copied = admin.post(
        reverse("assessments:template_copy"), {"organization": city.tree.city.pk, "cycle": "cio_annual_evaluation"}
    )
    template = IndicatorTemplate.objects.get()
    assert copied["Location"] == reverse("assessments:template_edit", args=[template.pk])
    edit = admin.get(copied["Location"])
    assert "信息化发展规划与实施方案" in response_text(edit)
    rows = {
        "name": "焦作市首席信息官年度测评(2026版)",
        "pass_threshold": "60",
        "row-0-level": "1",
        "row-0-name": "规划与制度",
        "row-0-weight": "40",
        "row-1-level": "2",
        "row-1-name": "发展规划",
        "row-1-weight": "25",
        "row-2-level": "2",
        "row-2-name": "工作制度",
        "row-2-weight": "10",
        "row-3-level": "1",
        "row-3-name": "应用与安全",
        "row-3-weight": "60",
        "grade-0-name": "合格",
        "grade-0-min": "60",
        "grade-1-name": "不合格",
        "grade-1-min": "0",
    }
    refused = admin.post(copied["Location"], rows)
    assert refused.status_code == 400
    assert "应等于其权重 40" in response_text(refused)
    saved = admin.post(copied["Location"], {**rows, "row-2-weight": "15"})
    assert saved.status_code == 302
    template.refresh_from_db()
    assert [n["name"] for n in template.indicators] == ["规划与制度", "应用与安全"]
    assert [c["weight"] for c in template.indicators[0]["children"]] == [25, 15]
    assert template.indicators[0]["children"][0]["id"] == "i1_1"
    pack_page = admin.get(
        reverse("assessments:pack_template") + f"?pack={template.pack_version_id}&cycle=cio_annual_evaluation"
    )
    assert "教师信息技术应用能力培训研修" in response_text(pack_page)


def test_reviewers_are_assigned_to_every_subject_the_filter_shows(city: City) -> None:
    cycle = opened(city)
    admin = client_for(city.admin)
    response = admin.post(
        reverse("assessments:cycle_assign", args=[cycle.pk]),
        {"reviewer": city.expert.pk, "all_filtered": "on", "query": f"branch={city.tree.county.pk}"},
        follow=True,
    )
    assert "已分配 2 个考核对象" in response_text(response)
    assigned = set(ReviewerAssignment.objects.values_list("subject__organization__name", flat=True))
    assert assigned == {city.tree.school.name, city.tree.sibling_school.name}
    refused = admin.post(
        reverse("assessments:cycle_assign", args=[cycle.pk]), {"reviewer": city.expert.pk}, follow=True
    )
    assert "请勾选要分配的考核对象" in response_text(refused)
