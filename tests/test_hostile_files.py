"""Hostile and unlucky inputs, each built in a temp dir: bombs, NUL files, encrypted PDFs, bad ingest paths."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from tests.conftest import ROOT
from workbench import Workbench
from workbench.cli import main
from workbench.errors import InputError
from workbench.library import reading
from workbench.library.reading import inflate_within, read_file
from workbench.library.uploads import MANIFEST, save, skipped_members, unzip_total_cap

MB = 2**20
MAX_BYTES = 50 * MB  # the default Settings.max_bytes
PARAGRAPH = "<w:p><w:r><w:t>全年开展主题党日活动12次，党员参学率98%。</w:t></w:r></w:p>".encode()
REPORT = "一、工作成效\n全年开展主题党日活动12次，党员参学率98%，完成各项任务。\n".encode()


def _skeleton(tmp: Path) -> dict[str, bytes]:
    """The members of a minimal valid .docx, as python-docx writes it."""
    document = docx.Document()
    document.add_paragraph("一、基本情况")
    path = tmp / "skeleton.docx"
    document.save(str(path))
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _docx_bomb(path: Path, inflated: int) -> Path:
    """A valid .docx whose word/document.xml inflates to about ``inflated`` bytes, streamed, never held."""
    members = _skeleton(path.parent)
    head, _, tail = members.pop("word/document.xml").partition(b"<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        with zf.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(head + b"<w:body>")
            block = PARAGRAPH * (MB // len(PARAGRAPH))
            for _ in range(inflated // len(block)):
                out.write(block)
            out.write(tail)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """300 MB of XML in a file of about 1 MB: the attack, at a size that still builds in a second."""
    yield _docx_bomb(tmp_path_factory.mktemp("bomb") / "年度总结.docx", 300 * MB)


def _claim_size(path: Path, member: str, size: int) -> None:
    """Make the central directory lie about ``member``'s inflated size (the field zipfile trusts)."""
    data = bytearray(path.read_bytes())
    at = -1
    while (at := data.find(b"PK\x01\x02", at + 1)) != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == member.encode():
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
    raise AssertionError(member)


# -- 1. a .docx is judged by what it becomes --------------------------------------------------------------


def test_a_docx_bomb_is_refused_with_little_memory(bomb: Path) -> None:
    assert bomb.stat().st_size < 2 * MB  # under every file limit: only the inflated size gives it away
    child = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workbench.errors import InputError\n"
        "from workbench.library.reading import read_file\n"
        "try:\n"
        f"    read_file(Path(sys.argv[1]), {MAX_BYTES})\n"
        "except InputError as exc:\n"
        "    print(exc.message)\n"
        "    print(exc.hint)\n"
        # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork+exec (a big pytest process).
        "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0]\n"
        "print(int(hwm.split()[1]) // 1024)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", child, str(bomb)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    message, hint, peak_mb = run.stdout.strip().split("\n")
    assert "文件解压后过大" in message and "压缩炸弹" in message
    assert ".txt" in hint
    # Unchecked, python-docx took this file past 2.3 GB; refused, the reader stays near a bare import.
    assert int(peak_mb) < 400, f"peak {peak_mb} MB"


def test_a_bomb_under_the_total_cap_is_caught_by_its_ratio(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"压缩比异常.*压缩炸弹") as info:
        read_file(_docx_bomb(tmp_path / "a.docx", 40 * MB), MAX_BYTES)
    assert "word/document.xml" in info.value.message and info.value.hint


def test_a_docx_with_a_lying_header_is_refused(bomb: Path, tmp_path: Path) -> None:
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bomb.read_bytes())
    _claim_size(liar, "word/document.xml", 5 * MB)  # plausible size, plausible ratio
    with pytest.raises(InputError, match="docx") as info:
        read_file(liar, MAX_BYTES)
    assert info.value.hint


def test_too_much_xml_is_refused_even_at_a_normal_ratio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = docx.Document()
    for i in range(400):
        document.add_paragraph(f"（{i}）各支部按计划开展学习，党员参学率{i % 100}%。")
    path = tmp_path / "long.docx"
    document.save(str(path))
    assert "党员参学率" in read_file(path, MAX_BYTES)
    monkeypatch.setattr(reading, "DOCX_XML_CAP", 32 * 1024)  # the real cap is 32 MB; the logic is the same
    with pytest.raises(InputError, match="文档正文解压后过大"):
        read_file(path, MAX_BYTES)


def test_inflate_within_stops_one_step_past_its_budget() -> None:
    sink = io.BytesIO()
    assert inflate_within(io.BytesIO(b"x" * 10), 10, sink) == 10 and sink.getvalue() == b"x" * 10
    assert inflate_within(io.BytesIO(b"x" * 10), 9) is None


# -- 2. a zip upload has a budget, and reports every member it leaves out ---------------------------------


def _zip(path: Path, members: dict[str, bytes | int], level: int = 1) -> Path:
    """A zip of real bytes, or of N zero bytes (int), streamed so the test never holds them."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            with zf.open(name, "w", force_zip64=True) as out:
                if isinstance(data, bytes):
                    out.write(data)
                else:
                    for _ in range(data // MB):
                        out.write(bytes(MB))
    return path


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_a_zip_of_bombs_writes_nothing_and_names_each_member(tmp_path: Path) -> None:
    members: dict[str, bytes | int] = {f"报告{i:02}.txt": 40 * MB for i in range(25)}
    members["巨大.txt"] = 60 * MB  # over the per-file limit by its header
    members["正常.txt"] = REPORT
    archive = _zip(tmp_path / "往年报告.zip", members)
    assert archive.stat().st_size < 6 * MB  # 1,060 MB once inflated (level 1: fast to build, ~230:1)
    before = _files(tmp_path)
    uploads = tmp_path / "store" / "uploads"
    folder = save(archive, uploads, MAX_BYTES)
    assert _files(tmp_path) - before - _files(uploads) == set()  # nothing outside uploads/
    assert {p.name for p in _files(uploads)} == {"正常.txt", MANIFEST}
    skipped = skipped_members(folder)
    assert sorted(Path(s["path"]).name for s in skipped) == sorted(set(members) - {"正常.txt"})
    reasons = {Path(s["path"]).name: s["reason"] for s in skipped}
    assert "压缩炸弹" in reasons["报告00.txt"] and "上限 50 MB" in reasons["巨大.txt"]


def test_the_total_is_capped_and_counted_members_land_in_the_ingest_report(
    wb: Workbench, tmp_path: Path
) -> None:
    import random

    rng = random.Random(0)
    max_bytes = 2 * MB  # total cap 8 MB
    incompressible = {f"数据{i}.txt": rng.randbytes(int(1.5 * MB)) for i in range(6)}  # 9 MB in all
    archive = _zip(tmp_path / "a.zip", {"正常.txt": REPORT, **incompressible})
    folder = save(archive, tmp_path / "uploads", max_bytes)
    written = sum(p.stat().st_size for p in _files(folder) if p.name != MANIFEST)
    assert written <= unzip_total_cap(max_bytes) == 8 * MB
    skipped = skipped_members(folder)
    assert [Path(s["path"]).name for s in skipped] == ["数据5.txt"]
    assert "总量" in skipped[0]["reason"]
    report = wb.ingest([folder], progress=False)
    assert {"path": str(folder / "数据5.txt"), "reason": skipped[0]["reason"]} in report.skipped
    assert report.added == 1  # 正常.txt; the random bytes are refused as not text, one error line each
    assert len(report.errors) == 5 and all(
        "不是文本" in e["error"] or "编码" in e["error"] for e in report.errors
    )


def test_a_zip_member_with_a_lying_header_is_left_out(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "b.zip", {"正常.txt": REPORT, "说谎.txt": 30 * MB})
    _claim_size(archive, "说谎.txt", 10_000)
    folder = save(archive, tmp_path / "uploads", MAX_BYTES)
    assert {p.name for p in _files(folder)} == {"正常.txt", MANIFEST}
    (lie,) = skipped_members(folder)
    assert Path(lie["path"]).name == "说谎.txt" and "已损坏" in lie["reason"]
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8")) == [lie]


# -- 3. a text file must look like text --------------------------------------------------------------------


def test_a_file_of_nul_bytes_is_not_text(wb: Workbench, tmp_path: Path) -> None:
    zeros = tmp_path / "zeros.txt"
    zeros.write_bytes(bytes(MB))  # head -c 1048576 /dev/zero
    with pytest.raises(InputError, match="不是文本文件（含有大量控制字符或空字节）"):
        read_file(zeros, MAX_BYTES)
    report = wb.ingest([zeros], progress=False)
    assert (report.added, report.chunks, len(report.errors)) == (0, 0, 1)
    assert wb.search("主题党日", 3) == []  # an empty store answers; it used to raise a raw ValueError


def test_control_characters_refuse_a_file_only_beyond_a_trace(tmp_path: Path) -> None:
    noisy = tmp_path / "noisy.txt"
    noisy.write_bytes(REPORT + bytes(range(1, 9)) * 100)
    with pytest.raises(InputError, match="不是文本文件"):
        read_file(noisy, MAX_BYTES)
    stray = tmp_path / "stray.txt"
    stray.write_bytes(REPORT * 20 + b"\x1b\x07")
    assert "主题党日" in read_file(stray, MAX_BYTES)


def test_text_with_no_words_yields_no_chunks_and_an_error_line(wb: Workbench, tmp_path: Path) -> None:
    marks = tmp_path / "marks.txt"
    marks.write_text("。。。。。。。。。。。。！！！！！！！！\n——————————\n", encoding="utf-8")
    report = wb.ingest([marks], progress=False)
    assert (report.added, report.chunks) == (0, 0)
    assert "没有可用的正文" in report.errors[0]["error"] and report.errors[0]["hint"]
    assert wb.search("主题党日", 3) == []


def test_chunks_without_words_are_dropped(wb: Workbench, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        REPORT.decode() + "。" * 3000 + "\n二、下一步打算\n继续做好党员教育管理工作。\n", encoding="utf-8"
    )
    report = wb.ingest([path], progress=False)
    assert report.added == 1
    (doc,) = wb.list_documents()
    ids, texts, _ = wb.store.chunks_of([doc.doc_id])
    assert len(texts) == report.chunks and all(any(c.isalnum() for c in t) for t in texts)
    assert sorted(ids) == [f"{doc.doc_id}:{i:05d}" for i in range(len(ids))]  # numbered without gaps


# -- 4. ingest exits 1 when nothing could be ingested ------------------------------------------------------


@pytest.fixture
def _fake_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_EMBEDDER", "fake")
    monkeypatch.setenv("WORKBENCH_LLM", "fake")


@pytest.mark.usefixtures("_fake_backends")
def test_ingest_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(tmp_path / "lib")]
    bad = tmp_path / "zeros.txt"
    bad.write_bytes(bytes(4096))
    good = tmp_path / "good.txt"
    good.write_bytes(REPORT)

    assert main(["ingest", str(bad), *store, "--json"]) == 1  # every file failed
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == 0 and "不是文本文件" in report["errors"][0]["error"]

    missing = tmp_path / "没有这个文件夹"
    assert main(["ingest", str(missing), *store]) == 1
    out = capsys.readouterr().out
    assert f"✗ {missing}：路径不存在" in out  # the report is still printed

    assert main(["ingest", str(good), str(missing), *store, "--json"]) == 1  # a wrong path is always an error
    report = json.loads(capsys.readouterr().out)
    assert (
        report["added"] == 1 and report["errors"][0]["error"] == "路径不存在" and report["errors"][0]["hint"]
    )

    assert main(["ingest", str(good), str(bad), *store, "--json"]) == 0  # partial success
    report = json.loads(capsys.readouterr().out)
    assert report["unchanged"] == 1 and len(report["errors"]) == 1


# -- 5. an encrypted PDF says so ---------------------------------------------------------------------------


def _pdf(path: Path, user_password: str) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password, owner_password="owner")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_a_password_protected_pdf_says_how_to_open_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="PDF 文件有密码保护") as info:
        read_file(_pdf(tmp_path / "locked.pdf", "pw"), MAX_BYTES)
    assert "另存为无密码的 PDF" in info.value.hint
    # An owner password alone opens with the empty password: this one gets as far as its (missing) text.
    with pytest.raises(InputError, match="没有文字层"):
        read_file(_pdf(tmp_path / "owner.pdf", ""), MAX_BYTES)
