"""Documents of a cycle: the subjects table and the yearly result sheet (.xlsx), the cycle report (.docx).

Every document is built from what the requesting user may see (the callers
pass scoped querysets and the user's progress figures), and the callers
record the export.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from educio.assessments.models import PROGRESS_STATUSES, AssessmentCycle, AssessmentSubject, SubjectStatus
from educio.assessments.selectors import BranchProgress
from educio.documents import docx as docs
from educio.documents.xlsx import Column

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"

SUBJECT_COLUMNS = [
    Column(gettext_lazy("单位"), 32),
    Column(gettext_lazy("姓名"), 12),
    Column(gettext_lazy("状态"), 14),
    Column(gettext_lazy("自评提交时间"), 18),
    Column(gettext_lazy("评审人数"), 10),
    Column(gettext_lazy("总分"), 10),
    Column(gettext_lazy("等级"), 10),
    Column(gettext_lazy("是否合格"), 10),
]

RESULT_COLUMNS = [
    Column(gettext_lazy("年度"), 8),
    Column(gettext_lazy("考核"), 30),
    Column(gettext_lazy("组织单位"), 24),
    Column(gettext_lazy("单位"), 30),
    Column(gettext_lazy("姓名"), 12),
    Column(gettext_lazy("总分"), 10),
    Column(gettext_lazy("等级"), 10),
    Column(gettext_lazy("是否合格"), 10),
    Column(gettext_lazy("发布日期"), 14),
    Column(gettext_lazy("申诉"), 24),
]


def passed_label(passed: bool | None) -> str:
    if passed is None:
        return ""
    return _("合格") if passed else _("不合格")


def local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def subject_row(subject: AssessmentSubject, *, show_result: bool) -> list[Any]:
    reviewers = getattr(subject, "reviewer_count", None)
    return [
        subject.organization.name,
        subject.person.name if subject.person else "",
        subject.get_status_display(),
        local(subject.self_submitted_at),
        reviewers if reviewers is not None else "",
        subject.total if show_result and subject.total is not None else "",
        subject.grade if show_result else "",
        passed_label(subject.passed) if show_result else "",
    ]


def appeal_text(subject: AssessmentSubject) -> str:
    appeal = getattr(subject, "appeal", None)
    if appeal is None:
        return ""
    if not appeal.is_decided:
        return _("申诉处理中")
    return f"{appeal.get_decision_display()}"


def result_row(subject: AssessmentSubject) -> list[Any]:
    cycle = subject.cycle
    return [
        cycle.year,
        cycle.name,
        cycle.organization.name,
        subject.organization.name,
        subject.person.name if subject.person else "",
        subject.total,
        subject.grade,
        passed_label(subject.passed),
        timezone.localtime(subject.published_at).date() if subject.published_at else "",
        appeal_text(subject),
    ]


# --- the cycle report --------------------------------------------------------------------------


def long_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


def _east_asian(element: Any, font: str) -> None:
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font wins over a named one
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:ascii"), font)
    fonts.set(qn("w:hAnsi"), font)


def _styled_document() -> Any:
    """A Word document whose styles print Chinese in 仿宋/宋体 (Word otherwise falls back to a Latin font)."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _east_asian(normal.element, BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Table Grid"):
        _east_asian(document.styles[name].element, TITLE_FONT if name != "Table Grid" else BODY_FONT)
    return document


def _table(document: Any, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = docs.text(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = docs.text("" if value is None else value)


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def cycle_report_docx(
    cycle: AssessmentCycle,
    *,
    scope_label: str,
    branches: list[BranchProgress],
    grades: list[tuple[str, int]],
    failing: Sequence[AssessmentSubject],
) -> bytes:
    """考核结果报告: scope, counts by status and grade, results by county, the failing units."""
    document = _styled_document()
    title = document.add_heading(docs.text(_("%(name)s结果报告") % {"name": cycle.name}), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for label, value in (
        (_("组织单位"), cycle.organization.name),
        (_("考核依据"), " ".join(filter(None, [cycle.pack_ref, cycle.article]))),
        (_("考核期"), cycle.period_label),
        (_("考核对象"), cycle.get_subject_kind_display()),
        (_("自评截止"), long_date(cycle.self_deadline)),
        (_("评审截止"), long_date(cycle.review_deadline)),
        (_("结果发布"), long_date(timezone.localtime(cycle.published_at).date() if cycle.published_at else None)),
        (_("统计范围"), scope_label),
        (_("生成时间"), local(timezone.now())),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}:").bold = True
        paragraph.add_run(docs.text(value))

    counts = {s: sum(b.count(s) for b in branches) for s in (*PROGRESS_STATUSES, SubjectStatus.VACANT)}
    assessed = sum(counts[s] for s in PROGRESS_STATUSES)
    document.add_heading(_("一、总体进度"), level=1)
    status_rows = [(SubjectStatus(s).label, counts[s], _percent(counts[s], assessed)) for s in PROGRESS_STATUSES]
    _table(document, [_("状态"), _("数量"), _("占比")], [*status_rows, (_("合计(参评)"), assessed, "")])
    if counts[SubjectStatus.VACANT]:
        document.add_paragraph(
            _("另有 %(n)d 个单位未设立相应岗位,未参加本次考核。") % {"n": counts[SubjectStatus.VACANT]}
        )

    document.add_heading(_("二、等级分布"), level=1)
    graded = sum(n for _name, n in grades)
    _table(document, [_("等级"), _("数量"), _("占比")], [(name, n, _percent(n, graded)) for name, n in grades])

    document.add_heading(_("三、各单位(区县)结果"), level=1)
    _table(
        document,
        [_("单位"), _("参评"), _("已自评"), _("已评审"), _("已发布"), _("合格"), _("不合格"), _("平均分")],
        [
            (
                b.unit.name if b.unit else "—",
                b.assessed,
                b.assessed - b.count(SubjectStatus.NOT_STARTED),
                b.count(SubjectStatus.REVIEWED) + b.count(SubjectStatus.PUBLISHED) + b.count(SubjectStatus.APPEALED),
                b.count(SubjectStatus.PUBLISHED) + b.count(SubjectStatus.APPEALED),
                b.passed,
                b.failed,
                b.average if b.average is not None else "—",
            )
            for b in branches
        ],
    )

    document.add_heading(_("四、不合格单位名单"), level=1)
    if failing:
        _table(
            document,
            [_("序号"), _("单位"), _("姓名"), _("总分"), _("等级")],
            [
                (i, s.organization.name, s.person.name if s.person else "", _score(s.total), s.grade)
                for i, s in enumerate(failing, start=1)
            ],
        )
    else:
        document.add_paragraph(_("无。"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _score(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"
