from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from workbench.errors import InputError
from workbench.write.export import export, to_markdown

TEXT = "某小学2024年党建工作总结\n2024年，学校党支部召开党员大会5次。\n一、主要工作\n（一）理论学习\n1.坚持三会一课。\n二、下一步打算"


def _east_asian(paragraph: object) -> str:
    run = paragraph.runs[0]  # type: ignore[attr-defined]
    return str(run._element.rPr.rFonts.get(qn("w:eastAsia")))


def test_docx_follows_the_official_layout(tmp_path: Path) -> None:
    path = export(TEXT, tmp_path / "out" / "draft.docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(s.mm) for s in sizes if s is not None] == [210, 297, 37, 35, 28, 26]  # stored in twips
    title, body, h1, h2, h3, _ = document.paragraphs
    assert title.text == "某小学2024年党建工作总结" and title.runs[0].font.size == Pt(22)
    assert _east_asian(title) == "方正小标宋简体" and title.alignment == 1  # centred
    assert _east_asian(body) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    assert _east_asian(h1) == "黑体" and _east_asian(h2) == "楷体_GB2312"
    assert h3.runs[0].font.bold


def test_markdown_and_text(tmp_path: Path) -> None:
    md = to_markdown(TEXT)
    assert (
        md.startswith("# 某小学2024年党建工作总结\n")
        and "\n## 一、主要工作\n" in md
        and "### （一）理论学习" in md
    )
    assert export(TEXT, tmp_path / "a.txt").read_text(encoding="utf-8") == TEXT + "\n"
    assert export(TEXT, tmp_path / "a.md").read_text(encoding="utf-8") == md


def test_nothing_to_export(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        export("  \n ", tmp_path / "x.docx")
