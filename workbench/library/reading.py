"""Read .txt/.md/.docx/.pdf files into text. Encodings are detected, never assumed.

Every failure is an InputError whose message says what is wrong with this file and whose hint says what
to do, so one bad file costs one line in the ingest report and nothing else.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from ..errors import InputError

SUPPORTED = (".txt", ".md", ".markdown", ".docx", ".pdf")

# Byte-order marks decide the encoding outright; longest first (UTF-32 LE starts like UTF-16 LE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED


def decode_bytes(data: bytes, name: str = "") -> str:
    """Decode text bytes: BOM, then strict UTF-8, then GB18030 (a superset of GBK), then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-16 without a BOM has NULs beside every ASCII character; try it before calling the bytes binary.
    if b"\x00" in data and len(data) % 2 == 0:
        utf16 = _try_utf16(data)
        if utf16 is not None:
            return utf16
    if b"\x00" in data:
        raise InputError(f"{name}：看起来是二进制文件，不是文本", "请上传 txt、md、docx 或 pdf 格式的报告。")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            f"{name}：无法识别文本编码",
            "请用记事本或 WPS 把文件另存为 UTF-8 编码后重新导入。",
        )
    return str(best)


def _plausible(ch: str) -> bool:
    """Characters a Chinese report is made of; the wrong byte order yields other scripts."""
    code = ord(ch)
    return (
        0x20 <= code < 0x7F
        or ch in "\r\n\t"
        or 0x4E00 <= code <= 0x9FFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2010 <= code <= 0x2027
    )


def _try_utf16(data: bytes) -> str | None:
    best: tuple[float, str] = (0.0, "")
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = sum(map(_plausible, text)) / max(1, len(text))
        best = max(best, (score, text))
    return best[1] if best[0] > 0.9 else None


def read_docx(path: Path) -> str:
    """Paragraphs and table cells of a .docx, in document order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(
            f"{path.name}：docx 文件已损坏或不是真正的 docx（{type(exc).__name__}）",
            "请用 Word/WPS 打开后另存为 .docx 再导入；旧版 .doc 需先另存为 .docx。",
        ) from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                lines.append("　".join(dict.fromkeys(c for c in cells if c)))
    return "\n".join(lines)


def read_pdf(path: Path) -> str:
    """Text layer of a PDF, page by page (page breaks become blank lines, mended by cleaning)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InputError(
            f"{path.name}：PDF 文件已损坏，无法读取（{type(exc).__name__}）",
            "请重新导出 PDF，或改为导入原始的 docx/txt 文件。",
        ) from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise InputError(
            f"{path.name}：PDF 没有文字层（可能是扫描件）",
            "请先用 OCR 软件转换为可复制文字的 PDF，或导入原始的 docx/txt 文件。",
        )
    return text


def read_file(path: Path, max_bytes: int) -> str:
    """Raw text of one supported file; raises InputError for anything unusable."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            f"{path.name}：不支持的文件类型 {suffix or '（无扩展名）'}", "支持 txt、md、docx、pdf。"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}：无法读取（{exc.strerror}）", "检查路径和文件权限。") from exc
    if size == 0:
        raise InputError(f"{path.name}：文件为空", "请确认文件内容已保存后再导入。")
    if size > max_bytes:
        raise InputError(
            f"{path.name}：文件过大（{size / 2**20:.1f} MB，上限 {max_bytes / 2**20:.0f} MB）",
            "请拆分文件，或调高 WORKBENCH_MAX_FILE_MB。",
        )
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    text = decode_bytes(path.read_bytes(), path.name)
    return strip_markdown(text) if suffix in (".md", ".markdown") else text


_MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S))|\*\*|__|`")


def strip_markdown(text: str) -> str:
    """Markdown markup that is not content: heading marks, quotes, bullets, emphasis, code ticks."""
    return "\n".join(_MD_MARKUP.sub("", line) for line in text.split("\n"))
