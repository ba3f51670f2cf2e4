"""Write a `Document` as PDF with reportlab's built-in CID font STSong-Light (Adobe-GB1), which
every PDF reader has, so no font file is embedded or needed on the machine.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, KeepTogether, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from fundwatch.reports.document import Document, Figure, Heading, PageBreak, Paragraph, Table

FONT = "STSong-Light"
ALIGN = {"justify": TA_JUSTIFY, "center": TA_CENTER, "right": TA_RIGHT, "left": TA_LEFT}


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _style(
    name: str, size: float, *, align: int = TA_JUSTIFY, indent: bool = False, leading: float | None = None,
    space_before: float = 0.0,
) -> Any:
    return ParagraphStyle(
        name, fontName=_font(), fontSize=size, leading=leading or size * 1.6, alignment=align,
        firstLineIndent=size * 2 if indent else 0, wordWrap="CJK", spaceBefore=space_before,
    )


def _table(block: Table, usable: float) -> Any:
    head, body = _style("th", 10.5, align=TA_CENTER, leading=14), _style("td", 10.5, align=TA_LEFT, leading=14)
    right = _style("tdr", 10.5, align=TA_RIGHT, leading=14)
    numeric = block.numeric or (False,) * len(block.headers)
    data = [[PdfParagraph(escape(h), head) for h in block.headers]]
    data += [[PdfParagraph(escape(v), right if numeric[i] else body) for i, v in enumerate(row)] for row in block.rows]
    widths = block.widths or (1.0,) * len(block.headers)
    table = PdfTable(data, colWidths=[usable * w / sum(widths) for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _figure(block: Figure, usable: float) -> Any:
    image = Image(io.BytesIO(block.png))
    scale = min(block.width_cm * cm, usable) / image.imageWidth
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return KeepTogether([image, PdfParagraph(escape(block.caption), _style("cap", 12, align=TA_CENTER))])


def _page_number(canvas: Any, template: Any) -> None:
    canvas.saveState()
    canvas.setFont(_font(), 12)
    canvas.drawCentredString(template.pagesize[0] / 2, 1.6 * cm, f"— {canvas.getPageNumber()} —")
    canvas.restoreState()


def _no_page_number(canvas: Any, template: Any) -> None:
    """Posted notices carry no page number."""


def pdf_bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    size = landscape(A4) if doc.landscape else A4
    top, bottom, left, right = doc.margins_cm
    template = SimpleDocTemplate(
        out, pagesize=size, leftMargin=left * cm, rightMargin=right * cm, topMargin=top * cm,
        bottomMargin=bottom * cm, title=doc.title, author="Fundwatch",
    )
    usable = size[0] - (left + right) * cm
    story: list[Any] = []
    if doc.title:
        story.append(PdfParagraph(escape(doc.title), _style("title", doc.title_size, align=TA_CENTER)))
        if doc.subtitle:
            story.append(PdfParagraph(escape(doc.subtitle), _style("subtitle", doc.body_size, align=TA_CENTER)))
        story.append(Spacer(1, 0.4 * cm))
    body = doc.body_size
    for block in doc.blocks:
        if isinstance(block, Heading):
            story.append(PdfParagraph(escape(block.text), _style(f"h{block.level}", body, indent=True, leading=28)))
        elif isinstance(block, Paragraph):
            size = block.size or body
            story.append(PdfParagraph(
                escape(block.text), _style("p", size, align=ALIGN[block.align], indent=block.indent,
                                           leading=max(28, size * 1.3), space_before=block.space_before)))
        elif isinstance(block, Table):
            story += [Spacer(1, 0.2 * cm), _table(block, usable), Spacer(1, 0.3 * cm)]
        elif isinstance(block, PageBreak):
            story.append(PdfPageBreak())
        else:
            story += [_figure(block, usable), Spacer(1, 0.3 * cm)]
    pages = _page_number if doc.page_numbers else _no_page_number
    template.build(story, onFirstPage=pages, onLaterPages=pages)
    return out.getvalue()


def write_pdf(doc: Document, path: Path) -> None:
    path.write_bytes(pdf_bytes(doc))
