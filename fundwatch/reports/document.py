"""A document as blocks — title, headings, paragraphs, tables, figures — that the DOCX and the PDF
renderers both write, so the two files of one report say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: 一、 (黑体); 2: （一） (楷体 in offices, bold here)


@dataclass(frozen=True)
class Paragraph:
    text: str
    align: str = "justify"  # justify | center | right | left
    indent: bool = True  # first-line indent of two characters
    size: float | None = None  # points; None: the body size
    bold: bool = False
    space_before: float = 0.0  # points of blank space above (a posted notice spreads over its page)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()  # right-aligned columns
    widths: tuple[float, ...] = ()  # relative widths


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str
    width_cm: float = 15.0


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Figure | PageBreak


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    title_size: float = 22.0  # 二号
    body_size: float = 16.0  # 三号, GB/T 9704
    landscape: bool = False
    page_numbers: bool = True

    @property
    def margins_cm(self) -> tuple[float, float, float, float]:
        """Top, bottom, left, right: GB/T 9704's for an upright page, narrower for a landscape table."""
        return (2.5, 2.0, 2.5, 2.5) if self.landscape else (3.7, 3.5, 2.8, 2.6)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self

    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading)]
