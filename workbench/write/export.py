"""Export a draft or summary: .docx in the common 公文 layout (GB/T 9704 basics), Markdown, or plain text."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..text.structure import heading_level

# GB/T 9704: A4; margins 37/35/28/26 mm; title 2号 (22 pt) 小标宋; body 3号 (16 pt) 仿宋; 28 pt lines;
# first-line indent of two characters; level-1 headings 黑体, level-2 楷体.
TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
TITLE_PT, BODY_PT, LINE_PT = 22, 16, 28


def _font(run: object, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    rpr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)  # Chinese text uses the East Asian font slot


def to_docx(text: str, path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        raise InputError("没有可导出的内容")
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    for i, line in enumerate(lines):
        para = document.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        level = heading_level(line)
        run = para.add_run(line.lstrip("#").strip())
        if i == 0 and not level:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(LINE_PT)
            _font(run, TITLE_FONT, TITLE_PT)
            continue
        fmt.first_line_indent = Pt(BODY_PT * 2)
        _font(run, {1: H1_FONT, 2: H2_FONT}.get(level, BODY_FONT), BODY_PT, bold=level == 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def to_markdown(text: str) -> str:
    out = []
    for i, line in enumerate(ln.strip() for ln in text.split("\n")):
        if not line:
            continue
        level = heading_level(line)
        if i == 0 and not level:
            out.append(f"# {line}")
        elif level in (1, 2):
            out.append(f"{'#' * (level + 1)} {line}")
        else:
            out.append(line)
    return "\n\n".join(out) + "\n"


def export(text: str, path: Path) -> Path:
    """Write by extension: .docx, .md, or anything else as plain text (UTF-8)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return to_docx(text, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        to_markdown(text) if suffix in (".md", ".markdown") else text.strip() + "\n", encoding="utf-8"
    )
    return path
