from __future__ import annotations

import codecs
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from workbench.errors import InputError
from workbench.library.reading import decode_bytes, read_file, strip_markdown

TEXT = "一、工作成效\n全年开展主题党日活动12次，党员参学率98%。"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("gbk"),
        TEXT.encode("gb18030"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-16-le"),  # without BOM
        TEXT.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16-bom", "utf16le", "utf16be"],
)
def test_decode_detects_encoding(data: bytes) -> None:
    assert decode_bytes(data) == TEXT


def test_decode_refuses_binary() -> None:
    with pytest.raises(InputError, match="二进制"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "文件为空"),
        ("photo.jpg", b"\xff\xd8\xff", "不支持"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "docx 文件已损坏"),
        ("broken.pdf", b"%PDF-1.4 garbage", "PDF"),
        ("big.txt", "很长的文本。".encode() * 50_000, "文件过大"),
    ],
)
def test_bad_files_get_clear_errors(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = _write(tmp_path / name, data)
    with pytest.raises(InputError, match=message) as info:
        read_file(path, max_bytes=200_000)
    assert info.value.hint  # every error says what to do next


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(InputError, match="没有文字层") as info:
        read_file(path, max_bytes=10**7)
    assert "OCR" in info.value.hint


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(_minimal_pdf("Annual work report 2023"))
    assert "Annual work report 2023" in read_file(path, max_bytes=10**7)


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("一、基本情况")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "党员人数"
    table.cell(0, 1).text = "29名"
    document.add_paragraph("二、主要做法")
    path = tmp_path / "a.docx"
    document.save(str(path))
    assert read_file(path, max_bytes=10**7).split("\n") == ["一、基本情况", "党员人数　29名", "二、主要做法"]


def test_markdown_markup_is_stripped() -> None:
    assert strip_markdown("# 标题\n- **一、**要点\n> 引文") == "标题\n一、要点\n引文"


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a Helvetica text layer, written by hand (no PDF writer library needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
