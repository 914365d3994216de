"""Uploaded files are kept under the library's uploads folder, and nothing from a file name leads outside it.

A zip is unpacked with a budget: each member at most ``max_bytes``, all of them together at most
``unzip_total_cap(max_bytes)``, no member inflating more than 100:1 once large, and every byte counted as it
is written, since headers can lie. Each member left out is recorded, with why, in a hidden manifest
(``MANIFEST``) in the unpacked folder; ``skipped_members`` reads it and ingest reports every entry.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from .reading import BOMB_RATIO, MB, ZIP_ERRORS, inflate_within

MANIFEST = ".skipped.json"  # hidden, so ingest never reads it as a report
UNZIP_TOTAL_CAP = 200 * MB
UNZIP_MAX_MEMBERS = 5000  # a million tiny members would fill the disk's inodes and the report
_RATIO_FLOOR = 1 * MB


def safe_name(name: str) -> str:
    """A file name with no directories, no leading dot and nothing a shell or a path would read specially."""
    base = Path(name).name
    return re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", base).lstrip(".") or "upload"


def save(source: str | Path, folder: Path, max_bytes: int, name: str = "") -> Path:
    """Copy ``source`` into ``folder`` under a safe name (never over a different file); a zip is unpacked into
    a folder of its own, which is returned instead (its left-out members: ``skipped_members``)."""
    src = Path(source)
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(name or src.name)
    stem, suffix, n = target.stem, target.suffix, 1
    # filecmp streams both files; reading them whole would let a large upload cost its size twice in memory.
    while target.exists() and not filecmp.cmp(target, src, shallow=False):
        n += 1
        target = folder / f"{stem}_{n}{suffix}"
    if target.resolve().parent != folder:
        raise InputError("文件名不合法", "请重命名文件后再上传。")
    if not target.exists():
        # Copied beside it and renamed into place: two identical uploads at once (Gradio gives both the same
        # temporary path) never let one ingest read the file while the other is still writing it.
        part = folder / f".{target.name}.{uuid.uuid4().hex}.part"
        try:
            shutil.copyfile(src, part)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
    return unzip(target, max_bytes) if target.suffix.lower() == ".zip" else target


def unzip_total_cap(max_bytes: int) -> int:
    """Bytes one archive may unpack to in all: 4x the file limit, at most 200 MB, at least the limit."""
    return max(max_bytes, min(4 * max_bytes, UNZIP_TOTAL_CAP))


def unzip(archive: Path, max_bytes: int) -> Path:
    """A folder of the archive's files beside it; no member may land outside that folder.

    Members over the budget are left out and listed in the folder's manifest; the archive is deleted.
    """
    folder = archive.with_suffix("").resolve()
    cap = unzip_total_cap(max_bytes)
    skipped: list[dict[str, str]] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            members = _members(zf, archive.name, folder)
            used = 0
            for info, name, target in members:
                reason = _header_problem(info, max_bytes, cap - used, cap)
                if reason is None:
                    written = _extract(zf, info, target, min(max_bytes, cap - used))
                    if isinstance(written, int):
                        used += written
                        continue
                    reason = written
                skipped.append({"path": str(folder / name), "reason": reason})
    except zipfile.BadZipFile as exc:
        archive.unlink(missing_ok=True)
        raise InputError(f"{archive.name}：压缩包已损坏", "请重新打包后上传。") from exc
    except InputError:
        archive.unlink(missing_ok=True)
        raise
    _write_manifest(folder, skipped)
    archive.unlink()
    return folder


def _members(zf: zipfile.ZipFile, archive: str, folder: Path) -> list[tuple[zipfile.ZipInfo, str, Path]]:
    """(info, name, target) of each file member; every name is checked before anything is written."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > UNZIP_MAX_MEMBERS:
        raise InputError(
            f"{archive}：压缩包里的文件过多（{len(infos)} 个，上限 {UNZIP_MAX_MEMBERS} 个）",
            "请分成几个压缩包上传。",
        )
    out = []
    for info in infos:
        # Names in zips made on Chinese Windows are GBK but flagged as cp437.
        name = info.filename if info.flag_bits & 0x800 else _zip_name(info.filename)
        target = (folder / name).resolve()
        if not target.is_relative_to(folder) or target == folder:
            raise InputError(f"{archive}：压缩包里有指向外部的路径 {name}", "请重新打包后上传。")
        out.append((info, name, target))
    return out


def _header_problem(info: zipfile.ZipInfo, max_bytes: int, left: int, cap: int) -> str | None:
    """Why the header alone rules a member out, or None; a lying header is caught while copying."""
    if info.file_size > max_bytes:
        return f"解压后过大（{info.file_size / MB:.1f} MB，上限 {max_bytes / MB:.0f} MB），未解压"
    if info.file_size > _RATIO_FLOOR and info.file_size > BOMB_RATIO * max(1, info.compress_size):
        return f"压缩比异常（{info.file_size / max(1, info.compress_size):.0f}:1），可能是压缩炸弹，未解压"
    if info.file_size > left:
        return f"压缩包解压总量将超过上限 {cap / MB:.0f} MB，未解压"
    return None


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int | str:
    """Stream one member to ``target`` within ``budget`` bytes: the bytes written, or why it was left out.

    It goes to a hidden temporary file first, so a member stopped half-way never replaces an earlier upload.
    """
    part = target.with_name(f".{target.name}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as member, part.open("wb") as sink:
            size = inflate_within(member, budget, sink)
        if size is None:
            return f"解压后超过上限（{budget / MB:.0f} MB，与文件头所记不符），可能是压缩炸弹，未解压"
        if size > _RATIO_FLOOR and size > BOMB_RATIO * max(1, info.compress_size):
            return f"压缩比异常（{size / max(1, info.compress_size):.0f}:1），可能是压缩炸弹，未解压"
        os.replace(part, target)
        return size
    except NotImplementedError:  # a RuntimeError too, so first
        return "压缩方式不受支持，未解压"
    except RuntimeError:  # zipfile's word for an encrypted member
        return "有密码保护，未解压"
    except ZIP_ERRORS as exc:
        return f"已损坏，无法解压（{type(exc).__name__}）"
    except OSError as exc:
        return f"无法写入（{exc.strerror}）"
    finally:
        part.unlink(missing_ok=True)


def _write_manifest(folder: Path, skipped: list[dict[str, str]]) -> None:
    """Record this unpacking's left-out members; a folder with none has no manifest (an old one goes)."""
    manifest = folder / MANIFEST
    if not skipped:
        manifest.unlink(missing_ok=True)
        return
    folder.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(skipped, ensure_ascii=False, indent=1), encoding="utf-8")


def skipped_members(folder: Path) -> list[dict[str, str]]:
    """The members left out when ``folder`` was unpacked: ``{"path", "reason"}`` each, [] when none."""
    try:
        rows = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(rows, list):
        return []
    return [
        {"path": str(r["path"]), "reason": str(r["reason"])}
        for r in rows
        if isinstance(r, dict) and "path" in r and "reason" in r
    ]


def _zip_name(name: str) -> str:
    try:
        return name.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def discard(paths: Iterable[str], root: Path) -> list[Path]:
    """Delete the files among ``paths`` that lie under the uploads folder ``root`` (never a file ingested from
    elsewhere), and the folders they leave empty (a zip's, a user's); returns the files deleted."""
    root = root.resolve()
    gone: list[Path] = []
    for name in paths:
        path = Path(name).resolve()
        if not path.is_relative_to(root) or path == root or not path.is_file():
            continue
        path.unlink(missing_ok=True)
        gone.append(path)
        folder = path.parent
        while folder != root and folder.is_relative_to(root):
            left = [p for p in folder.iterdir() if p.name != MANIFEST]
            if left:
                break
            (folder / MANIFEST).unlink(missing_ok=True)
            folder.rmdir()
            folder = folder.parent
    return gone
