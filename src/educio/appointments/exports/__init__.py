"""The official documents of the appointment lifecycle: 推荐表 (.docx), 聘任通知 (.docx) and 汇总表 (.xlsx).

The two Word documents are printed from templates a bureau may replace with
its own (``documents.DocumentTemplate``); the defaults are in
``doc_templates/`` and the keys of their context are listed in
``doc_templates/README.md``. The summary sheet is an official sheet the
bureau files itself, so it is not masked; callers record the export.

``apps.AppointmentsConfig.ready`` imports this package, which imports
``samples`` (registering the default templates and their sample contexts) and
``background`` (registering the ``nomination_summary`` background export).

The package: ``values`` (values as printed), ``nomination_form`` (推荐表),
``notice`` (聘任通知), ``summary`` (汇总表), ``background`` (its background
export) and ``samples`` (defaults and samples for the template pages).
"""

# ``background`` and ``samples`` register on import: keep them imported here.
from .background import (
    SUMMARY_JOB,
    build_nomination_summary,
    nomination_summary_queryset,
    nomination_summary_start,
    summary_title,
)
from .nomination_form import (
    BLANK_DATE,
    MIN_HONOUR_ROWS,
    PHOTO_BOX_MM,
    SEAL_MARK,
    nomination_context,
    nomination_docx,
    opinion_boxes,
)
from .notice import appointment_notice_docx, notice_body, notice_context, notice_title, term_text
from .samples import JIAOZUO, SAMPLES, TEMPLATES_DIR
from .summary import (
    PROGRESS_EVERY,
    SUMMARY_CHUNK,
    SUMMARY_COLUMNS,
    SUMMARY_ONLY,
    SummarySheet,
    fields_by_attribute,
    for_summary,
    summary_workbook,
)
from .values import field_value, latest_steps, long_date, pack_id_of, shown

__all__ = [
    "BLANK_DATE",
    "JIAOZUO",
    "MIN_HONOUR_ROWS",
    "PHOTO_BOX_MM",
    "PROGRESS_EVERY",
    "SAMPLES",
    "SEAL_MARK",
    "SUMMARY_CHUNK",
    "SUMMARY_COLUMNS",
    "SUMMARY_JOB",
    "SUMMARY_ONLY",
    "TEMPLATES_DIR",
    "SummarySheet",
    "appointment_notice_docx",
    "build_nomination_summary",
    "field_value",
    "fields_by_attribute",
    "for_summary",
    "latest_steps",
    "long_date",
    "nomination_context",
    "nomination_docx",
    "nomination_summary_queryset",
    "nomination_summary_start",
    "notice_body",
    "notice_context",
    "notice_title",
    "opinion_boxes",
    "pack_id_of",
    "shown",
    "summary_title",
    "summary_workbook",
    "term_text",
]
