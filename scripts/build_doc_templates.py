"""Build the default Word templates of the official documents (src/educio/appointments/doc_templates/).

The .docx files are committed; run this script again only after changing a
layout here, then look at the result (scripts/render_docx_pdf.py --demo).

    .venv/bin/python scripts/build_doc_templates.py

Each template holds docxtpl tags (Jinja) in its cells; the keys they use are
documented in doc_templates/README.md, so a bureau can write its own in Word.
Fonts are named for East-Asian text explicitly (w:eastAsia): Word and WPS
otherwise set Chinese in the Latin font's fallback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "educio" / "appointments" / "doc_templates"

SONG = "宋体"
HEI = "黑体"
FANGSONG = "仿宋"
LATIN = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
# Two sides of A4 (正反打印): the same margins on both faces, so either side may be the front.
MARGINS_CM = {"top": 2.0, "bottom": 1.8, "left": 2.2, "right": 2.2}
TEXT_WIDTH_CM = 21.0 - MARGINS_CM["left"] - MARGINS_CM["right"]  # 16.6

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# --- python-docx helpers -----------------------------------------------------------------------


def set_fonts(element: object, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts of a run or style for Latin and for Chinese text (python-docx sets only the former)."""
    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def new_document(*, body_font: str = SONG, body_size: float = 10.5) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.0)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(body_size)
    set_fonts(normal.element, body_font)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # The body of a blank document already holds one empty paragraph; the builders write into it first.
    return doc


def write(
    paragraph: Paragraph,
    content: str,
    *,
    font: str = SONG,
    size: float | None = None,
    bold: bool = False,
    color: RGBColor | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    """One run of text (so a Jinja tag is never split across runs)."""
    run = paragraph.add_run(content)
    set_fonts(run._element, font)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    if align is not None:
        paragraph.alignment = align
    return paragraph


def paragraph(doc: DocumentObject, content: str = "", **style: object) -> Paragraph:
    body = doc.paragraphs
    first = body[0] if len(body) == 1 and not body[0].text and not body[0].runs else None
    target = first or doc.add_paragraph()
    return write(target, content, **style) if content else target  # type: ignore[arg-type]


def first_line_indent(p: Paragraph, *, size_pt: float = 10.5, chars: int = 2) -> None:
    """Indent the first line by two characters, as Chinese text expects.

    Word and WPS read the indent in characters (w:firstLineChars); LibreOffice
    only the absolute one (w:firstLine, twentieths of a point), so both are set.
    """
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(round(chars * size_pt * 20)))


def bottom_rule(p: Paragraph, *, color: str = "C00000", size_eighths: int = 18) -> None:
    """A horizontal rule under the paragraph (the red line under an official document's header)."""
    p_pr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": str(size_eighths), "w:space": "4", "w:color": color}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def new_table(doc: DocumentObject, rows: int, widths_cm: Sequence[float]) -> Table:
    """A bordered table of fixed column widths, centred on the page."""
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)
    return table


def row_height(row: _Row, cm: float) -> None:
    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def keep_row_whole(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def repeat_as_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def cell(
    table: Table,
    row: int,
    col: int,
    content: str = "",
    *,
    to_col: int | None = None,
    to_row: int | None = None,
    align: WD_ALIGN_PARAGRAPH = CENTER,
    valign: WD_CELL_VERTICAL_ALIGNMENT = WD_CELL_VERTICAL_ALIGNMENT.CENTER,
    **style: object,
) -> _Cell:
    """Write ``content`` into a cell, merged first across columns ``col..to_col`` and rows ``row..to_row``."""
    target = table.cell(row, col)
    if to_col is not None or to_row is not None:
        target = target.merge(table.cell(to_row if to_row is not None else row, to_col if to_col is not None else col))
    target.vertical_alignment = valign
    if content:
        write(target.paragraphs[0], content, align=align, **style)  # type: ignore[arg-type]
    else:
        target.paragraphs[0].alignment = align
    return target


def add_paragraph_in(target: _Cell, content: str, *, align: WD_ALIGN_PARAGRAPH = LEFT, **style: object) -> Paragraph:
    return write(target.add_paragraph(), content, align=align, **style)  # type: ignore[arg-type]


def control_row(table: Table, row: int, tag: str) -> None:
    """A row holding only a docxtpl row tag ({%tr ... %}); docxtpl replaces the whole row by the tag."""
    write(table.cell(row, table._column_count - 1).paragraphs[0], tag)


# --- the 推荐表 --------------------------------------------------------------------------------

TITLE_SIZE = 18  # 小二
OPINION_ROW_CM = 3.4


def title_block(doc: DocumentObject, *, date_line_always: bool) -> None:
    """The form's title, and the 填表日期 line (printed blank on the paper form; else only when known)."""
    paragraph(doc, "{{ title }}", font=HEI, size=TITLE_SIZE, align=CENTER)
    date_text = (
        "填表日期:{{ filled_on }}" if date_line_always else "{% if filled_on %}填表日期:{{ filled_on }}{% endif %}"
    )
    date_line = paragraph(doc, date_text, align=LEFT)
    date_line.paragraph_format.space_before = Pt(10)
    date_line.paragraph_format.space_after = Pt(4)


def opinions_block(doc: DocumentObject) -> None:
    """The signed opinion boxes: one row per ``opinions`` entry (label | opinion, seal, date)."""
    line = paragraph(
        doc,
        "{% if confirmation %}{{ confirmation.text }}:{{ confirmation.name }}　　{{ confirmation.date }}{% endif %}",
    )
    line.paragraph_format.space_before = Pt(8)
    line.paragraph_format.space_after = Pt(8)
    table = new_table(doc, 3, [2.6, TEXT_WIDTH_CM - 2.6])
    control_row(table, 0, "{%tr for o in opinions %}")
    label = cell(table, 1, 0, "{{ o.label }}")
    label.paragraphs[0].paragraph_format.line_spacing = 1.5
    box = cell(table, 1, 1, "{{ o.opinion }}", align=LEFT, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
    first_line_indent(box.paragraphs[0])
    box.paragraphs[0].paragraph_format.space_before = Pt(4)
    for content in ("{{ o.seal_text }}", "{{ o.date_text }}"):
        p = add_paragraph_in(box, content, align=RIGHT)
        p.paragraph_format.right_indent = Cm(1.2)
        p.paragraph_format.space_before = Pt(6)
    row_height(table.rows[1], OPINION_ROW_CM)
    keep_row_whole(table.rows[1])
    control_row(table, 2, "{%tr endfor %}")
    note = paragraph(doc, "{% if print_note %}备注:{{ print_note }}。{% endif %}")
    note.paragraph_format.space_before = Pt(6)


def build_jiaozuo(path: Path) -> None:
    """焦作市首席教育信息官推荐表 (焦教文〔2022〕60号 附件1), cell for cell as printed."""
    doc = new_document()
    title_block(doc, date_line_always=True)
    widths = [2.8, 2.3, 1.8, 2.2, 2.0, 2.6, 2.9]
    table = new_table(doc, 10, widths)
    cell(table, 0, 0, "单位名称")
    cell(table, 0, 1, "{{ value.unit_name }}", to_col=5)
    photo = cell(table, 0, 6, "{% if photo %}{{ photo }}{% else %}({{ photo_label }}){% endif %}", to_row=3)
    photo.paragraphs[0].paragraph_format.line_spacing = 1.0
    for row, items in enumerate(
        [
            [("姓名", "name"), ("性别", "gender"), ("出生日期", "birth_date")],
            [("学历", "education"), ("民族", "ethnicity"), ("教龄", "teaching_years")],
        ],
        start=1,
    ):
        for index, (caption, field) in enumerate(items):
            cell(table, row, index * 2, caption)
            cell(table, row, index * 2 + 1, "{{ value.%s }}" % field)  # noqa: UP031 - a Jinja tag, not Python
    cell(table, 3, 0, "现任行政职务")
    cell(table, 3, 1, "{{ value.admin_position }}", to_col=2)
    cell(table, 3, 3, "专业技术职务", to_col=4)
    cell(table, 3, 5, "{{ value.professional_title }}")
    cell(table, 4, 0, "手机号码")
    cell(table, 4, 1, "{{ value.mobile }}", to_col=2)
    cell(table, 4, 3, "通信地址")
    cell(table, 4, 4, "{{ value.address }}", to_col=6, align=LEFT)
    for row in range(5):
        row_height(table.rows[row], 0.9)
    # 曾获主要荣誉称号和奖励: a header row, then one row per honour (at least three, blank ones to write in).
    cell(table, 5, 0, "曾获主要荣誉\n称号和奖励", to_row=8)
    for col, to_col, heading in ((1, 2, "获奖名称"), (3, None, "获奖时间"), (4, 5, "授予单位"), (6, None, "备注")):
        cell(table, 5, col, heading, to_col=to_col)
    control_row(table, 6, "{%tr for h in honour_rows %}")
    for col, to_col, key in ((1, 2, "title"), (3, None, "awarded_on"), (4, 5, "granted_by"), (6, None, "note")):
        cell(table, 7, col, "{{ h.%s }}" % key, to_col=to_col)  # noqa: UP031 - a Jinja tag
    control_row(table, 8, "{%tr endfor %}")
    row_height(table.rows[5], 0.8)
    row_height(table.rows[7], 0.8)
    label = cell(table, 9, 0, "工作事迹\n(不超过\n2000字)")
    label.paragraphs[0].paragraph_format.line_spacing = 1.5
    record = cell(
        table, 9, 1, "{{ value.work_record }}", to_col=6, align=JUSTIFY, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP
    )
    first_line_indent(record.paragraphs[0])
    # Exactly 14 pt a line: 2000 characters then fit the front side and half the back.
    record.paragraphs[0].paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    record.paragraphs[0].paragraph_format.line_spacing = Pt(14)
    # Fills the rest of the front side, so the opinions start on the back (正反打印); a long text flows over.
    row_height(table.rows[9], 15.4)
    opinions_block(doc)
    doc.save(str(path))


# --- the generic 推荐表 (any pack's form variant) ----------------------------------------------


def build_generic_nomination(path: Path) -> None:
    """Any form variant: label/value pairs beside the photo, long fields, the form's tables, the opinions."""
    doc = new_document()
    title_block(doc, date_line_always=False)
    widths = [2.6, 4.3, 2.6, 4.1, 3.0]
    fields = new_table(doc, 6, widths)
    control_row(fields, 0, "{%tr for p in pairs %}")
    for index, key in enumerate(("p.0.label", "p.0.value", "p.1.label", "p.1.value")):
        cell(fields, 1, index, "{{ %s }}" % key)  # noqa: UP031 - a Jinja tag
    cell(fields, 1, 4, "{% vm %}{% if photo %}{{ photo }}{% else %}{{ photo_box }}{% endif %}")
    row_height(fields.rows[1], 0.95)
    control_row(fields, 2, "{%tr endfor %}")
    control_row(fields, 3, "{%tr for r in long_rows %}")
    cell(fields, 4, 0, "{{ r.label }}")
    long_value = cell(fields, 4, 1, "{{ r.value }}", to_col=4, align=JUSTIFY, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
    first_line_indent(long_value.paragraphs[0])
    row_height(fields.rows[4], 5.0)
    control_row(fields, 5, "{%tr endfor %}")
    paragraph(doc, "{%p for t in tables %}")
    caption = paragraph(doc, "{{ t.label }}", font=HEI)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    table = new_table(doc, 4, [TEXT_WIDTH_CM / 3] * 3)
    write(table.cell(0, 0).paragraphs[0], "{%tc for c in t.columns %}")
    cell(table, 0, 1, "{{ c }}", font=HEI)
    write(table.cell(0, 2).paragraphs[0], "{%tc endfor %}")
    control_row(table, 1, "{%tr for row in t.rows %}")
    write(table.cell(2, 0).paragraphs[0], "{%tc for v in row %}")
    cell(table, 2, 1, "{{ v }}")
    write(table.cell(2, 2).paragraphs[0], "{%tc endfor %}")
    row_height(table.rows[0], 0.8)
    row_height(table.rows[2], 0.8)
    control_row(table, 3, "{%tr endfor %}")
    paragraph(doc, "{%p endfor %}")
    opinions_block(doc)
    doc.save(str(path))


# --- the 聘任通知 ------------------------------------------------------------------------------


def build_notice(path: Path) -> None:
    """An official notice: red issuer line and rule, document number, title, body, the list, signature."""
    doc = new_document(body_font=FANGSONG, body_size=16)
    header = paragraph(doc, "{{ issuer_name }}", font=HEI, size=30, bold=True, color=RED, align=CENTER)
    header.paragraph_format.space_before = Pt(24)
    number = paragraph(doc, "{{ doc_number }}", font=FANGSONG, size=16, align=CENTER)
    number.paragraph_format.space_before = Pt(18)
    number.paragraph_format.space_after = Pt(4)
    bottom_rule(number)
    title = paragraph(doc, "{{ title }}", font=HEI, size=20, bold=True, align=CENTER)
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.space_after = Pt(18)
    paragraph(doc, "{{ addressee }}:", font=FANGSONG, size=16)
    body = paragraph(doc, "{{ body }}", font=FANGSONG, size=16, align=JUSTIFY)
    first_line_indent(body, size_pt=16)
    body.paragraph_format.line_spacing = Pt(28)
    widths = [1.4, 4.6, 2.2, 3.4, 5.0]
    table = new_table(doc, 4, widths)
    for col, label in enumerate(("序号", "单位", "姓名", "职务", "任期")):
        cell(table, 0, col, label, font=HEI, size=12)
    repeat_as_header(table.rows[0])
    control_row(table, 1, "{%tr for a in appointments %}")
    for col, key in enumerate(("number", "unit", "name", "post", "term")):
        cell(table, 2, col, "{{ a.%s }}" % key, font=FANGSONG, size=12)  # noqa: UP031 - a Jinja tag
    row_height(table.rows[0], 0.9)
    row_height(table.rows[2], 0.9)
    control_row(table, 3, "{%tr endfor %}")
    spacer = paragraph(doc, "")
    spacer.paragraph_format.space_before = Pt(36)
    # The issuer above the date, roughly centred on it, at the right as official documents sign.
    paragraph(doc, "{{ issuer_name }}", font=FANGSONG, size=16, align=RIGHT).paragraph_format.right_indent = Cm(2.4)
    paragraph(doc, "{{ doc_date }}", font=FANGSONG, size=16, align=RIGHT).paragraph_format.right_indent = Cm(1.4)
    doc.save(str(path))


BUILDERS = {
    "nomination_form-jiaozuo-2022.docx": build_jiaozuo,
    "nomination_form.docx": build_generic_nomination,
    "appointment_notice.docx": build_notice,
}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        build(OUT / name)
        print(f"wrote {(OUT / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
