"""Read .txt/.md/.docx/.pdf files into text. Encodings are detected, never assumed.

Every failure is an InputError whose message says what is wrong with this file and whose hint says what
to do, so one bad file costs one line in the ingest report and nothing else. A file is judged by what it
becomes, not by its size on disk: a .docx by what its members inflate to (``check_docx``, before python-docx
holds it whole), a text file by whether its characters look like text (``require_text``).
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from pypdf import PdfReader

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
    """Decode text bytes: BOM, then strict UTF-8, then GB18030 (a superset of GBK), then detection.

    Whatever decodes must also look like text: NULs and runs of control characters are valid UTF-8, so a
    megabyte of zeros would otherwise pass as a (blank) report.
    """
    return require_text(_decode(data, name), name)


def _decode(data: bytes, name: str) -> str:
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


# Control characters a text file has no business holding (\t \n \f \r are layout and stay allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_SHARE = 0.01  # real reports have next to none; a stray byte or two must not refuse a file
_CONTROL_FLOOR = 8


def require_text(text: str, name: str = "") -> str:
    """``text`` unchanged, or InputError when it holds a NUL or more than a trace of control characters."""
    allowed = max(_CONTROL_FLOOR, int(len(text) * _CONTROL_SHARE))
    # Stop at the first excess match: counting every control of a 50 MB binary would cost more than reading it.
    found = "\x00" in text or any(i >= allowed for i, _ in enumerate(_CONTROL.finditer(text)))
    if found:
        raise InputError(
            f"{name}：不是文本文件（含有大量控制字符或空字节）",
            "请上传 txt、md、docx 或 pdf 格式的报告；若确是文本，请用记事本另存为 UTF-8 编码后再导入。",
        )
    return text


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


MB = 2**20
# What a .docx may become once inflated. python-docx holds every part in memory and parses the XML parts
# into lxml trees of roughly 8x their size, so a 1 MB file inflating to 1 GB of XML kills the server.
DOCX_TOTAL_CAP = 200 * MB  # every member together (images included), unless max_bytes allows more
DOCX_XML_CAP = 32 * MB  # the XML parts together: ~10 million characters of text, ~300 MB once parsed
DOCX_MAX_MEMBERS = 5000
BOMB_RATIO = 100  # Word's XML deflates 5-50:1; a bomb of repeated bytes ~1000:1
_RATIO_FLOOR = 1 * MB  # small members may compress absurdly well without harm
_DOCX_HINT = "请用 Word/WPS 打开后另存为普通 .docx，或导出为 .txt 后再导入。"
_CORRUPT_HINT = "请用 Word/WPS 打开后另存为 .docx 再导入；旧版 .doc 需先另存为 .docx。"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What zipfile raises on a broken, encrypted or exotic archive, besides BadZipFile.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    EOFError,
)


def docx_total_cap(max_bytes: int) -> int:
    """Inflated bytes a .docx may hold in all: 8x the file limit, at most 200 MB, at least the limit."""
    return max(max_bytes, min(8 * max_bytes, DOCX_TOTAL_CAP))


def inflate_within(stream: IO[bytes], budget: int, sink: IO[bytes] | None = None) -> int | None:
    """Copy ``stream`` to ``sink`` (or just count it) in 1 MB steps; the byte count, or None past ``budget``.

    Headers can lie, so the bytes are counted as they come, and a bomb stops one step past its budget.
    """
    size = 0
    while block := stream.read(min(MB, budget - size + 1)):
        size += len(block)
        if size > budget:
            return None
        if sink is not None:
            sink.write(block)
    return size


def _bomb(name: str, what: str) -> InputError:
    return InputError(f"{name}：{what}，可能是压缩炸弹", _DOCX_HINT)


def _ratio_problem(name: str, info: zipfile.ZipInfo, size: int) -> InputError | None:
    if size > _RATIO_FLOOR and size > BOMB_RATIO * max(1, info.compress_size):
        return _bomb(
            name, f"文件中的 {info.filename} 压缩比异常（{size / max(1, info.compress_size):.0f}:1）"
        )
    return None


def _xml_too_big(name: str) -> InputError:
    return InputError(
        f"{name}：文档正文解压后过大（XML 部分超过 {DOCX_XML_CAP // MB} MB）",
        "请把文档拆分为几个文件，或导出为 .txt 后再导入。",
    )


def _is_xml(info: zipfile.ZipInfo) -> bool:
    return info.filename.lower().endswith((".xml", ".rels"))


def check_docx(path: Path, max_bytes: int) -> None:
    """Refuse a .docx whose members inflate past the caps, before python-docx loads it whole.

    Headers are checked first (free), then every member is inflated once, counted and thrown away: the
    counts, not the headers, decide.
    """
    name, total_cap = path.name, docx_total_cap(max_bytes)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) > DOCX_MAX_MEMBERS:
                raise InputError(f"{name}：docx 里的部件过多（{len(infos)} 个）", _DOCX_HINT)
            claimed = sum(i.file_size for i in infos)
            if claimed > total_cap:
                raise _bomb(name, f"文件解压后过大（{claimed / MB:.0f} MB，上限 {total_cap / MB:.0f} MB）")
            for info in infos:
                if problem := _ratio_problem(name, info, info.file_size):
                    raise problem
            if sum(i.file_size for i in infos if _is_xml(i)) > DOCX_XML_CAP:
                raise _xml_too_big(name)
            total = xml = 0
            for info in infos:
                total_left, xml_left = total_cap - total, DOCX_XML_CAP - xml
                budget = min(total_left, xml_left) if _is_xml(info) else total_left
                with zf.open(info) as member:
                    size = inflate_within(member, budget)
                if size is None and _is_xml(info) and xml_left < total_left:
                    raise _xml_too_big(name)
                if size is None:
                    raise _bomb(name, f"文件解压后过大（超过 {total_cap / MB:.0f} MB）")
                if problem := _ratio_problem(name, info, size):
                    raise problem
                total += size
                xml += size if _is_xml(info) else 0
    except ZIP_ERRORS as exc:
        with path.open("rb") as fh:
            if fh.read(8) == _OLE_MAGIC:  # Word saves a password-protected .docx (and a .doc) as OLE
                raise InputError(
                    f"{name}：docx 文件有密码保护（或其实是旧版 .doc）",
                    "请在 Word/WPS 中取消密码并另存为 .docx，或导出为 .txt 后再导入。",
                ) from exc
        raise InputError(
            f"{name}：docx 文件已损坏或不是真正的 docx（{type(exc).__name__}）", _CORRUPT_HINT
        ) from exc


def read_docx(path: Path, max_bytes: int = DOCX_TOTAL_CAP) -> str:
    """Paragraphs and table cells of a .docx, in document order (checked for bombs first)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_docx(path, max_bytes)
    try:
        document = docx.Document(str(path))
    except (*ZIP_ERRORS, PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(
            f"{path.name}：docx 文件已损坏或不是真正的 docx（{type(exc).__name__}）", _CORRUPT_HINT
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
        if reader.is_encrypted:
            _decrypt(reader, path.name)
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


def _decrypt(reader: PdfReader, name: str) -> None:
    """Open an encrypted PDF with the empty password (many have only an owner password), or say how to."""
    from pypdf import PasswordType
    from pypdf.errors import DependencyError, PdfReadError

    try:
        opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except (DependencyError, NotImplementedError, PdfReadError):  # AES without cryptography, odd handlers
        opened = False
    if not opened:
        raise InputError(
            f"{name}：PDF 文件有密码保护",
            "请用 PDF 阅读器输入密码后另存为无密码的 PDF，或导出为 .txt/.docx 后再导入。",
        )


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
        return read_docx(path, max_bytes)
    if suffix == ".pdf":
        return read_pdf(path)
    text = decode_bytes(path.read_bytes(), path.name)
    return strip_markdown(text) if suffix in (".md", ".markdown") else text


_MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S))|\*\*|__|`")


def strip_markdown(text: str) -> str:
    """Markdown markup that is not content: heading marks, quotes, bullets, emphasis, code ticks."""
    return "\n".join(_MD_MARKUP.sub("", line) for line in text.split("\n"))
