"""The official documents: 推荐表 and 聘任通知 (.docx) cell by cell, the 汇总表 (.xlsx), and its background export."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from educio.accounts.roles import Perm
from educio.accounts.tests.factories import user_with_role
from educio.appointments import exports, services
from educio.appointments.models import Nomination
from educio.appointments.selectors import nomination_list
from educio.appointments.tests.conftest import Jiaozuo, decide_pending, fill_jiaozuo, open_window
from educio.appointments.tests.factories import make_appointment, make_nomination, make_person
from educio.documents import docx as documents_docx
from educio.documents import services as documents_services
from educio.documents.models import JobStatus, TemplateKind
from educio.policies.selectors import effective_pack
from educio.workflow.models import ProcessState, ReviewStep, StepState

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _files_and_tasks_stay_in_the_test(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS


# --- building nominations ----------------------------------------------------------------------


def submitted(jz: Jiaozuo, *, decided_by: tuple[Any, ...] = ()) -> Nomination:
    """The 焦作 form filled by the school's CIO, submitted, and decided by the given reviewers in turn."""
    open_window(jz.city_reviewer, jz.tree.city)
    nomination = services.nomination_start(actor=jz.cio, organization=jz.tree.school, person=jz.candidate)
    nomination = fill_jiaozuo(nomination, jz.cio, filled_on="2022-09-01", professional_title="中小学高级教师")
    services.nomination_submit(actor=jz.cio, nomination=nomination, confirmed=True, confirmer_name="刘志强")
    opinions = {jz.head: "同意推荐。", jz.county_reviewer: "经审核,符合任职条件,同意推荐。"}
    for reviewer in decided_by:
        decide_pending(nomination, reviewer, opinion=opinions.get(reviewer, "同意。"))
    return Nomination.objects.get(pk=nomination.pk)


def open_docx(content: bytes) -> Any:
    return Document(io.BytesIO(content))


def cell_after(document: Any, label: str) -> str:
    """The text of the cell right of the first cell reading ``label`` (merged cells count once)."""
    for table in document.tables:
        for row in table.rows:
            cells = []
            for c in row.cells:
                if not cells or c._tc is not cells[-1]._tc:
                    cells.append(c)
            for index, c in enumerate(cells[:-1]):
                if c.text.strip() == label:
                    return cells[index + 1].text.strip()
    raise AssertionError(f"no cell labelled {label!r}")


def all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def opinion_rows(document: Any) -> dict[str, list[str]]:
    """The opinion boxes: label -> the paragraphs of the box beside it."""
    table = document.tables[-1]
    return {row.cells[0].text: [p.text for p in row.cells[1].paragraphs] for row in table.rows}


# --- the 推荐表 --------------------------------------------------------------------------------


class TestJiaozuoForm:
    def test_the_persons_data_is_in_the_cells_of_the_paper_form(self, jz: Jiaozuo) -> None:
        document = open_docx(exports.nomination_docx(submitted(jz)))

        assert document.paragraphs[0].text == "焦作市首席教育信息官推荐表"
        assert document.paragraphs[1].text == "填表日期:2022年9月1日"
        assert cell_after(document, "单位名称") == jz.tree.school.name
        assert cell_after(document, "姓名") == "刘志强"
        assert cell_after(document, "性别") == "男"
        assert cell_after(document, "出生日期") == "1978.05.01"
        assert cell_after(document, "学历") == "本科"
        assert cell_after(document, "民族") == "汉族"
        assert cell_after(document, "教龄") == "22"
        assert cell_after(document, "现任行政职务") == "校长"
        assert cell_after(document, "专业技术职务") == "中小学高级教师"
        assert cell_after(document, "手机号码") == "13812345678"  # the official form is not masked
        assert cell_after(document, "通信地址") == "焦作市解放区民主路1号"
        assert cell_after(document, "工作事迹\n(不超过\n2000字)").startswith("牵头制定学校信息化发展规划。")
        assert cell_after(document, "获奖名称") == "获奖时间"  # the honours header row
        honour = next(r for r in document.tables[0].rows if "河南省信息化先进个人" in r.cells[1].text)
        assert [c.text for c in honour.cells[3:]] == ["2021.09", "河南省教育厅", "河南省教育厅", ""]
        assert "填写人对上述所填内容真实性负责并签字:刘志强" in all_text(document)
        assert "备注:正反打印。" in all_text(document)

    def test_opinion_boxes_are_filled_from_the_decided_steps_with_seal_and_date(self, jz: Jiaozuo) -> None:
        nomination = submitted(jz, decided_by=(jz.head, jz.county_reviewer))
        today = timezone.localdate()

        boxes = opinion_rows(open_docx(exports.nomination_docx(nomination)))

        assert list(boxes) == ["所在单位意见", "县(市、区)教育行政部门审核意见", "市教育局审核意见"]
        assert boxes["所在单位意见"] == ["同意推荐。", "(盖章)", f"{today.year}年{today.month}月{today.day}日"]
        assert boxes["县(市、区)教育行政部门审核意见"][0] == "经审核,符合任职条件,同意推荐。"
        assert boxes["市教育局审核意见"] == ["", "(盖章)", "年　月　日"]  # pending: printed blank, to sign

    def test_after_a_return_only_the_latest_round_is_printed(self, jz: Jiaozuo) -> None:
        nomination = submitted(jz, decided_by=(jz.head,))
        decide_pending(nomination, jz.county_reviewer, decision="return", opinion="请补充培训合格证。")
        returned = opinion_rows(open_docx(exports.nomination_docx(Nomination.objects.get(pk=nomination.pk))))
        assert returned["县(市、区)教育行政部门审核意见"][0] == "退回修改:请补充培训合格证。"
        assert returned["县(市、区)教育行政部门审核意见"][1] == ""  # a return is not sealed

        services.nomination_submit(actor=jz.cio, nomination=nomination, confirmed=True, confirmer_name="刘志强")
        boxes = opinion_rows(open_docx(exports.nomination_docx(Nomination.objects.get(pk=nomination.pk))))
        assert boxes["所在单位意见"][0] == ""
        assert boxes["县(市、区)教育行政部门审核意见"][0] == ""

    def test_the_photo_is_embedded_and_a_missing_one_leaves_the_printed_box(self, jz: Jiaozuo) -> None:
        nomination = submitted(jz)
        # fill_jiaozuo uploads a JPEG header only: not a picture Word can place, so the box stays as printed.
        assert len(open_docx(exports.nomination_docx(nomination)).inline_shapes) == 0
        assert cell_after(open_docx(exports.nomination_docx(nomination)), "单位名称") == jz.tree.school.name
        assert "(电子照片)" in all_text(open_docx(exports.nomination_docx(nomination)))

        png = SimpleUploadedFile("photo.png", documents_docx.placeholder_png(250, 350), content_type="image/png")
        Nomination.objects.filter(pk=nomination.pk).update(photo="")
        nomination.refresh_from_db()
        nomination.photo.save("photo.png", png)
        document = open_docx(exports.nomination_docx(nomination))

        (shape,) = document.inline_shapes
        assert (round(shape.width.mm), round(shape.height.mm)) == (25, 35)
        assert "(电子照片)" not in all_text(document)

    def test_a_two_thousand_character_work_record_keeps_its_paragraphs(self, jz: Jiaozuo) -> None:
        nomination = submitted(jz)
        record = ("第一段" + "甲" * 995 + "\n") + ("第二段" + "乙" * 995)
        Nomination.objects.filter(pk=nomination.pk).update(data={**nomination.data, "work_record": record})

        document = open_docx(exports.nomination_docx(Nomination.objects.get(pk=nomination.pk)))

        cell = next(c for r in document.tables[0].rows for c in r.cells if c.text.startswith("第一段"))
        assert [p.text[:3] for p in cell.paragraphs] == ["第一段", "第二段"]
        assert sum(len(p.text) for p in cell.paragraphs) == len(record) - 1

    def test_text_that_looks_like_markup_or_a_template_tag_is_printed_as_typed(self, jz: Jiaozuo) -> None:
        nomination = submitted(jz)
        address = "<w:t>&amp; {{ title }} {% if x %}"
        Nomination.objects.filter(pk=nomination.pk).update(data={**nomination.data, "address": address})
        document = open_docx(exports.nomination_docx(Nomination.objects.get(pk=nomination.pk)))
        assert cell_after(document, "通信地址") == address


class TestTemplatesReplaceTheDefault:
    def test_a_countys_template_prints_its_schools_forms_and_not_another_countys(self, jz: Jiaozuo) -> None:
        county_admin = user_with_role("bureau_admin", jz.tree.county)
        own = Document()
        own.add_paragraph("一区自定推荐表:{{ value.name }},{{ opinions[0].label }}")
        buffer = io.BytesIO()
        own.save(buffer)
        documents_services.template_upload(
            actor=county_admin,
            organization=jz.tree.county,
            kind=TemplateKind.NOMINATION_FORM,
            upload=SimpleUploadedFile("一区.docx", buffer.getvalue()),
        )
        mine = submitted(jz)
        other_head = make_person(jz.tree.other_school, "王其他", birth_date=date(1980, 1, 1))
        other_cio = user_with_role("cio", jz.tree.other_school)
        theirs = services.nomination_start(actor=other_cio, organization=jz.tree.other_school, person=other_head)

        assert open_docx(exports.nomination_docx(mine)).paragraphs[0].text == "一区自定推荐表:刘志强,所在单位意见"
        assert cell_after(open_docx(exports.nomination_docx(theirs)), "姓名") == "王其他"


class TestGenericForm:
    def test_a_pack_without_its_own_layout_prints_every_field_of_its_variant(self, jz: Jiaozuo) -> None:
        """贺兰's form differs from 焦作's: the generic template lays out whatever fields the snapshot has."""
        person = make_person(
            jz.tree.far_school, "马丽", birth_date=date(1985, 7, 9), university="宁夏大学", email="mali@example.cn"
        )
        cio = user_with_role("cio", jz.tree.far_school)
        nomination = services.nomination_start(actor=cio, organization=jz.tree.far_school, person=person)

        document = open_docx(exports.nomination_docx(nomination))

        assert document.paragraphs[0].text == "贺兰县中小学校首席信息官推荐表"
        assert cell_after(document, "姓名") == "马丽"
        assert cell_after(document, "出生年月") == "1985.07"
        assert cell_after(document, "毕业院校") == "宁夏大学"
        assert cell_after(document, "电子邮箱") == "mali@example.cn"
        assert cell_after(document, "工作单位") == jz.tree.far_school.name
        assert list(opinion_rows(document)) == ["单位意见"]
        assert "填写人对上述" not in all_text(document)  # 贺兰's form asks for no such statement


# --- the 聘任通知 ------------------------------------------------------------------------------


def test_the_appointment_notice_lists_the_appointed_cios(jz: Jiaozuo) -> None:
    nomination = submitted(jz, decided_by=(jz.head, jz.county_reviewer, jz.city_reviewer))
    appointment = services.appointment_issue(
        actor=jz.city_reviewer,
        nomination=nomination,
        doc_number="焦教文〔2022〕88号",
        doc_date=date(2022, 10, 20),
        starts_on=date(2022, 10, 20),
        ends_on=date(2025, 10, 19),
    )

    content = exports.appointment_notice_docx(
        [appointment], issuer_name="焦作市教育局", doc_number="焦教文〔2022〕88号", doc_date=date(2022, 10, 20)
    )
    document = open_docx(content)

    post = appointment.post_name  # 首席教育信息官（CIO）, as the pack names the post
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:3] == ["焦作市教育局", "焦教文〔2022〕88号", f"关于聘任刘志强同志为{post}的通知"]
    assert f"经研究,决定聘任刘志强同志为{jz.tree.school.name}{post}。" in texts
    assert texts[-2:] == ["焦作市教育局", "2022年10月20日"]
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["序号", "单位", "姓名", "职务", "任期"]
    assert [c.text for c in table.rows[1].cells] == ["1", jz.tree.school.name, "刘志强", post, "2022.10—2025.10"]


def test_a_notice_for_several_units_uses_the_template_of_the_unit_above_them_all(jz: Jiaozuo) -> None:
    county_admin = user_with_role("bureau_admin", jz.tree.county)
    own = Document()
    own.add_paragraph("一区聘任通知:{% for a in appointments %}{{ a.name }}{% endfor %}")
    buffer = io.BytesIO()
    own.save(buffer)
    documents_services.template_upload(
        actor=county_admin,
        organization=jz.tree.county,
        kind=TemplateKind.APPOINTMENT_NOTICE,
        upload=SimpleUploadedFile("一区通知.docx", buffer.getvalue()),
    )
    in_county = [
        make_appointment(jz.tree.school, person=make_person(jz.tree.school, "甲")),
        make_appointment(jz.tree.sibling_school, person=make_person(jz.tree.sibling_school, "乙")),
    ]
    across = [*in_county, make_appointment(jz.tree.other_school, person=make_person(jz.tree.other_school, "丙"))]

    def first_line(rows: list[Any]) -> str:
        content = exports.appointment_notice_docx(rows, issuer_name="局", doc_number="1号", doc_date=date(2024, 1, 1))
        return open_docx(content).paragraphs[0].text

    assert first_line(in_county) == "一区聘任通知:甲乙"
    assert first_line(across) == "局"  # the city's subtree: the county's template does not apply


# --- the 汇总表 --------------------------------------------------------------------------------


def sheet_rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


class TestSummarySheet:
    def test_one_row_per_nomination_in_scope_and_none_outside(self, jz: Jiaozuo) -> None:
        nomination = submitted(jz, decided_by=(jz.head, jz.county_reviewer))
        make_nomination(jz.tree.other_school, person=make_person(jz.tree.other_school, "二县人"))
        make_nomination(jz.tree.far_school, person=make_person(jz.tree.far_school, "外市人"))
        county = user_with_role("bureau_reviewer", jz.tree.county)

        content = exports.summary_workbook(
            nomination_list(user=county, perm=Perm.APPOINTMENT_EXPORT), title="焦作市首席教育信息官汇总表"
        )

        header, *rows = sheet_rows(content)
        assert header[:6] == ["序号", "单位", "姓名", "性别", "出生年月", "学历"]
        assert header[6:] == ["现任职务", "专业技术职务", "联系电话", "状态", "各级意见", "报送时间"]
        (row,) = rows
        submitted_at = timezone.localtime(nomination.process.submitted_at).strftime("%Y-%m-%d %H:%M")
        assert row == [
            1,
            jz.tree.school.name,
            "刘志强",
            "男",
            "1978.05",
            "本科",
            "校长",
            "中小学高级教师",
            "13812345678",
            "审核中",
            "所在单位意见:同意 同意推荐。;县(市、区)教育行政部门审核:同意 经审核,符合任职条件,同意推荐。",
            submitted_at,
        ]

    def test_values_fall_back_to_the_person_record_and_formulas_are_neutralised(self, tree: Any) -> None:
        person = make_person(
            tree.school, "=HYPERLINK(1)", birth_date=date(1980, 2, 3), education="硕士", phone="13700000001"
        )
        make_nomination(tree.school, person=person, state=ProcessState.DRAFT)
        admin = user_with_role("bureau_admin", tree.city)

        (row,) = sheet_rows(exports.summary_workbook(nomination_list(user=admin), title="t"))[1:]

        assert row[2] == "'=HYPERLINK(1)"
        assert row[4:6] == ["1980.02", "硕士"]
        assert row[8] == "13700000001"  # a form without the field: the person record's value
        assert row[9] == "草稿"

    def test_the_query_count_does_not_grow_with_the_rows(self, jz: Jiaozuo) -> None:
        form = effective_pack(jz.tree.school).spec.nomination_form.model_dump(mode="json")
        admin = user_with_role("bureau_admin", jz.tree.city)

        def measured(n: int) -> int:
            for index in range(n):
                nomination = make_nomination(jz.tree.school, person=make_person(jz.tree.school, f"人{index}"))
                Nomination.objects.filter(pk=nomination.pk).update(form_snapshot=form)
                ReviewStep.objects.create(
                    process=nomination.process,
                    round=1,
                    index=0,
                    step_id="unit_opinion",
                    name="所在单位意见",
                    acting_organization=jz.tree.school,
                    level="self",
                    role="school_head",
                    state=StepState.APPROVED,
                    activated_at=timezone.now(),
                    decided_by=admin,
                    decided_at=timezone.now(),
                    opinion="同意",
                )
            queryset = nomination_list(user=admin, perm=Perm.APPOINTMENT_EXPORT)
            with CaptureQueriesContext(connection) as queries:
                content = exports.summary_workbook(queryset, title="t")
            assert len(sheet_rows(content)) == queryset.count() + 1
            return len(queries)

        assert measured(1) == measured(29)

    def test_progress_is_reported_every_500_rows_and_at_the_end(self, tree: Any, monkeypatch) -> None:
        monkeypatch.setattr(exports.summary, "PROGRESS_EVERY", 2)
        for index in range(5):
            make_nomination(tree.school, person=make_person(tree.school, f"人{index}"))
        calls: list[tuple[int, int]] = []
        admin = user_with_role("bureau_admin", tree.city)
        exports.summary_workbook(nomination_list(user=admin), title="t", progress=lambda d, t: calls.append((d, t)))
        assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


class TestSummaryInTheBackground:
    def test_the_job_builds_the_requesters_scope_with_the_lists_filters(
        self, jz: Jiaozuo, django_capture_on_commit_callbacks
    ) -> None:
        submitted(jz)
        make_nomination(jz.tree.sibling_school, state=ProcessState.DRAFT)
        make_nomination(jz.tree.other_school)
        county = user_with_role("bureau_reviewer", jz.tree.county)

        with django_capture_on_commit_callbacks(execute=True):
            job = exports.nomination_summary_start(actor=county, filters={"status": "in_review"})
        job.refresh_from_db()

        assert job.status == JobStatus.DONE, job.error
        assert job.organization == jz.tree.county
        assert job.title == f"焦作市首席教育信息官汇总表 · {jz.tree.county.name}"
        with job.file.open("rb") as handle:
            rows = sheet_rows(handle.read())[1:]
        assert [r[1] for r in rows] == [jz.tree.school.name]  # not the draft, not the other county
        assert (job.done, job.total) == (1, 1)

    def test_a_job_of_someone_who_lost_the_scope_fails_with_a_reason(
        self, jz: Jiaozuo, django_capture_on_commit_callbacks
    ) -> None:
        county = user_with_role("bureau_reviewer", jz.tree.county)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = exports.nomination_summary_start(actor=county, filters={})
        county.role_assignments.all().delete()
        callbacks[0]()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert "无权导出" in job.error
