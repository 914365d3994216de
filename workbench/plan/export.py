"""The 对照表 reviewers ask for: item, status, evidence (facts with sources), targets vs reported figures, as
.xlsx (openpyxl) or .docx (python-docx, the house 公文 fonts of ``write.export``)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..write.export import BODY_FONT, H1_FONT, TITLE_FONT, _font
from .compare import DONE, PARTLY
from .report import ItemResult, PlanCheck

HEADER = ("序号", "部分", "工作要点", "落实情况", "依据（事实及出处）", "目标", "实际")
_FILL = {DONE: "C6EFCE", PARTLY: "FFEB9C"}  # green, amber; 未见 stays red
_UNSEEN_FILL = "FFC7CE"
_TABLE_PT = 10.5  # 五号: a seven-column table does not fit the 3号 body size


def rows(check: PlanCheck) -> list[tuple[str, ...]]:
    """One row per item: the table's cells as text."""
    return [_row(r) for r in check.items]


def _row(r: ItemResult) -> tuple[str, ...]:
    evidence = "\n".join(f"{f.text}（{f.source}）" if f.source else f.text for f in r.facts)
    numeric = [t for t in r.targets if t.target.numeric]
    wanted = "\n".join(
        t.target.text + (f"（{t.target.deadline}）" if t.target.deadline else "") for t in numeric
    )
    got = "\n".join(
        ("、".join(t.reported) or "未报告数字") + ("" if t.met else "（未达到）") for t in numeric
    )
    return (r.item.id, r.item.section, r.item.title, r.status, evidence or "—", wanted or "—", got or "—")


def to_xlsx(check: PlanCheck, path: Path) -> Path:
    from openpyxl import Workbook  # loaded only when a spreadsheet is asked for
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "对照表"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows(check):
        sheet.append(values)
        status = sheet.cell(row=sheet.max_row, column=4)
        colour = _FILL.get(str(status.value), _UNSEEN_FILL)
        status.fill = PatternFill("solid", start_color=colour, end_color=colour)
    for column, width in zip("ABCDEFG", (6, 6, 30, 12, 60, 30, 20), strict=True):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def to_docx(check: PlanCheck, path: Path) -> Path:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"{check.plan.title or '工作要点'}落实情况对照表"), TITLE_FONT, 18)
    counts = "，".join(f"{k} {v} 项" for k, v in check.counts.items())
    _font(document.add_paragraph().add_run(f"共 {len(check.items)} 项：{counts}。"), BODY_FONT, 12)
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        _font(cell.paragraphs[0].add_run(text), H1_FONT, _TABLE_PT)
    for values in rows(check):
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, _TABLE_PT)
    for p in document.paragraphs:
        p.paragraph_format.space_after = Pt(6)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def export_table(check: PlanCheck, path: Path) -> Path:
    """The 对照表 by extension: .xlsx or .docx."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return to_xlsx(check, path)
    if suffix == ".docx":
        return to_docx(check, path)
    raise InputError(f"对照表不能导出为“{suffix or path.name}”", "请用 .xlsx 或 .docx 作为文件扩展名。")
