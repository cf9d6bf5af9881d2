"""The 推荐表 (.docx): its print context, opinion boxes, photo and honours table."""

from __future__ import annotations

from typing import Any

from educio.appointments.exports.values import field_value, latest_steps, long_date, pack_id_of, shown
from educio.appointments.models import Nomination
from educio.documents import docx
from educio.documents.models import TemplateKind
from educio.documents.selectors import template_for
from educio.workflow.models import DECIDED_STEP_STATES, StepState

PHOTO_BOX_MM = (25.0, 35.0)  # a 1-inch ID photo (一寸照片)
MIN_HONOUR_ROWS = 3  # the paper form leaves blank lines to write in
SEAL_MARK = "(盖章)"
BLANK_DATE = "年　月　日"


def _chain_seal(nomination: Nomination, step_id: str) -> bool:
    """Whether the chain asks for a seal at ``step_id`` (for boxes not reached yet)."""
    process = nomination.process
    steps = (process.chain_snapshot or {}).get("steps", []) if process is not None else []
    return any(s.get("id") == step_id and s.get("seal") for s in steps)


def opinion_boxes(nomination: Nomination, form: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's signed boxes, each filled from the step of the latest round it names.

    A decided step prints its opinion (or its decision when it wrote none),
    "(盖章)" when the seal was recorded, and the date; a box not decided yet
    prints what the paper form prints: the seal mark and a blank date.
    """
    process = nomination.process
    chain_id = process.chain_id if process is not None else ""
    steps = {s.step_id: s for s in latest_steps(nomination)}
    boxes = []
    for block in form.get("opinions") or []:
        step = steps.get(block.get("step", "")) if block.get("chain") == chain_id else None
        decided = step is not None and step.state in DECIDED_STEP_STATES
        if step is not None and decided:
            decision = step.get_state_display()
            opinion = docx.text(step.opinion, multiline=True) or decision
            if step.state != StepState.APPROVED and step.opinion:
                opinion = f"{decision}:{opinion}"
            boxes.append(
                {
                    "label": block.get("label", ""),
                    "step_name": step.name,
                    "decided": True,
                    "decision": decision,
                    "opinion": opinion,
                    "sealed": step.seal_recorded,
                    "seal_text": SEAL_MARK if step.seal_recorded else "",
                    "date_text": long_date(step.decided_at),
                    "decided_by": docx.text(step.decided_by) if step.decided_by_id else "",
                }
            )
            continue
        needs_seal = step.seal_required if step is not None else _chain_seal(nomination, block.get("step", ""))
        boxes.append(
            {
                "label": block.get("label", ""),
                "step_name": step.name if step is not None else "",
                "decided": False,
                "decision": "",
                "opinion": "",
                "sealed": False,
                "seal_text": SEAL_MARK if needs_seal else "",
                "date_text": BLANK_DATE,
                "decided_by": "",
            }
        )
    return boxes


def _photo(nomination: Nomination, form: dict[str, Any]) -> docx.Image | str:
    if not form.get("photo") or not nomination.photo:
        return ""
    try:
        with nomination.photo.open("rb") as handle:
            data = handle.read()
    except OSError:  # the file is gone from storage: print the empty box rather than fail the form
        return ""
    return docx.image_or_empty(data, *PHOTO_BOX_MM)


def _honours(nomination: Nomination, form: dict[str, Any]) -> tuple[list[dict[str, str]], dict[str, Any] | None]:
    table = form.get("honours")
    if not table:
        return [], None
    columns = table.get("columns") or []
    rows = [
        {c["id"]: shown(row.get(c["id"]), c.get("type", "text")) for c in columns}
        for row in nomination.honours or []
        if isinstance(row, dict)
    ]
    padded = rows + [dict.fromkeys((c["id"] for c in columns), "") for _ in range(MIN_HONOUR_ROWS - len(rows))]
    as_table = {
        "label": table.get("label", ""),
        "columns": [c.get("label", "") for c in columns],
        "rows": [[r[c["id"]] for c in columns] for r in padded],
    }
    return padded, as_table


def _pairs(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    blank = {"id": "", "label": "", "value": ""}
    return [[rows[i], rows[i + 1] if i + 1 < len(rows) else blank] for i in range(0, len(rows), 2)]


def nomination_context(nomination: Nomination) -> dict[str, Any]:
    """What a 推荐表 template prints (keys documented in doc_templates/README.md)."""
    form = nomination.form_snapshot or {}
    fields = form.get("fields") or []
    rows = []
    for field in fields:
        raw = field_value(field, nomination)
        kind = field.get("type", "text")
        rows.append(
            {
                "id": field["id"],
                "label": field.get("label", ""),
                "type": kind,
                "value": shown(raw, kind),
                "value_long": shown(raw, kind, long=True),
                "long": kind == "textarea",
            }
        )
    by_id = {r["id"]: r for r in rows}
    honour_rows, honours = _honours(nomination, form)
    confirmation = form.get("confirmation")
    photo_spec = form.get("photo") or {}
    # A field with id filled_on is the 填表日期 line above the table, not a cell of it.
    filled_on = by_id["filled_on"]["value_long"] if "filled_on" in by_id else ""
    boxes = [r for r in rows if r["id"] != "filled_on"]
    return {
        "title": docx.text(form.get("title", "")),
        "filled_on": filled_on,
        "unit": docx.text(nomination.organization.name),
        "post_name": docx.text(nomination.post_name),
        "kind": nomination.get_kind_display(),
        "pack_ref": nomination.pack_ref,
        "value": {r["id"]: r["value"] for r in rows},
        "value_long": {r["id"]: r["value_long"] for r in rows},
        "rows": rows,
        "pairs": _pairs([r for r in boxes if not r["long"]]),
        "long_rows": [r for r in boxes if r["long"]],
        "honours": honours,
        "honour_rows": honour_rows,
        "tables": [honours] if honours else [],
        "photo": _photo(nomination, form),
        "photo_label": docx.text(photo_spec.get("label", "")),
        "photo_box": docx.text(photo_spec.get("label", "")),
        "confirmation": {
            "text": docx.text(confirmation.get("text", "")),
            "name": docx.text(nomination.confirmer_name),
            "date": long_date(nomination.confirmed_at),
        }
        if confirmation
        else None,
        "opinions": opinion_boxes(nomination, form),
        "print_note": docx.text(form.get("print_note") or ""),
    }


def nomination_docx(nomination: Nomination) -> bytes:
    """The 推荐表 printed with the template in force at the nomination's unit for its pack."""
    chosen = template_for(nomination.organization, TemplateKind.NOMINATION_FORM, pack_id_of(nomination.pack_ref))
    return chosen.render(nomination_context(nomination))
