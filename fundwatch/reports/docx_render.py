"""Write a `Document` as DOCX in the layout of official documents (GB/T 9704): A4, body 仿宋 三号
with 28-point lines, headings 黑体 (一、) and 楷体 (（一）), title 宋体 二号 bold, page numbers.

Chinese fonts are set as East Asian fonts (w:eastAsia), which is what Word and WPS use for
Chinese characters; the theme fonts of the built-in styles are removed so they cannot override.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from fundwatch.reports.document import Document, Figure, Heading, PageBreak, Paragraph, Table

BODY_FONT, HEADING_FONT, SUB_HEADING_FONT, TITLE_FONT, TABLE_FONT = "仿宋", "黑体", "楷体", "宋体", "宋体"
LATIN_FONT = "Times New Roman"
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT,
}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def east_asian(target: Any, font: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a run's or a style's fonts: `font` for Chinese, Times New Roman for Latin text."""
    target.font.name = LATIN_FONT
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _styles(docx: Any, doc: Document) -> None:
    normal = docx.styles["Normal"]
    east_asian(normal, BODY_FONT, doc.body_size)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, font, bold in (("Heading 1", HEADING_FONT, False), ("Heading 2", SUB_HEADING_FONT, True)):
        style = docx.styles[name]
        east_asian(style, font, doc.body_size, bold)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.first_line_indent = Pt(doc.body_size * 2)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = Pt(28)


def _page(docx: Any, doc: Document) -> None:
    section = docx.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    top, bottom, left, right = doc.margins_cm
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    if doc.page_numbers:
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number(footer)


def _page_number(paragraph: Any) -> None:
    east_asian(paragraph.add_run("— "), TITLE_FONT, 14)
    run = paragraph.add_run()
    east_asian(run, TITLE_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    east_asian(paragraph.add_run(" —"), TITLE_FONT, 14)


def _title(docx: Any, doc: Document) -> None:
    if not doc.title:
        return
    p = docx.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_after = Pt(6)
    east_asian(p.add_run(doc.title), TITLE_FONT, doc.title_size, True)
    if doc.subtitle:
        sub = docx.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        east_asian(sub.add_run(doc.subtitle), SUB_HEADING_FONT, doc.body_size)
    docx.add_paragraph()


def _paragraph(docx: Any, block: Paragraph, doc: Document) -> None:
    p = docx.add_paragraph()
    p.alignment = ALIGN[block.align]
    size = block.size or doc.body_size
    if block.indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if size > doc.body_size:
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if block.space_before:
        p.paragraph_format.space_before = Pt(block.space_before)
    east_asian(p.add_run(block.text), BODY_FONT, size, block.bold)


def _cell(cell: Any, text: str, *, bold: bool, align: Any) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    east_asian(p.add_run(text), TABLE_FONT, 10.5, bold)


def _table(docx: Any, block: Table, usable_cm: float) -> None:
    table = docx.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = block.widths or (1.0,) * len(block.headers)
    for i, header in enumerate(block.headers):
        _cell(table.rows[0].cells[i], header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for r, row in enumerate(block.rows, start=1):
        for i, value in enumerate(row):
            right = bool(block.numeric) and block.numeric[i]
            _cell(table.rows[r].cells[i], value, bold=False,
                  align=WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT)
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Cm(usable_cm * width / sum(widths))
        for row in table.rows:
            row.cells[i].width = Cm(usable_cm * width / sum(widths))
    docx.add_paragraph()


def _figure(docx: Any, block: Figure) -> None:
    docx.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
    picture = docx.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Exact line spacing (the body's) would clip an inline picture to one line.
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    picture.paragraph_format.first_line_indent = Pt(0)
    caption = docx.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    east_asian(caption.add_run(block.caption), TABLE_FONT, 12)


def docx_bytes(doc: Document) -> bytes:
    docx = new_docx()
    _styles(docx, doc)
    _page(docx, doc)
    _title(docx, doc)
    usable = (29.7 if doc.landscape else 21.0) - doc.margins_cm[2] - doc.margins_cm[3]
    for block in doc.blocks:
        if isinstance(block, Heading):
            p = docx.add_heading(level=block.level)
            east_asian(p.add_run(block.text), HEADING_FONT if block.level == 1 else SUB_HEADING_FONT,
                       doc.body_size, block.level != 1)
        elif isinstance(block, Paragraph):
            _paragraph(docx, block, doc)
        elif isinstance(block, Table):
            _table(docx, block, usable)
        elif isinstance(block, PageBreak):
            docx.add_page_break()
        else:
            _figure(docx, block)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def write_docx(doc: Document, path: Path) -> None:
    path.write_bytes(docx_bytes(doc))
