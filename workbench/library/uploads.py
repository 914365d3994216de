"""Uploaded files are kept under the library's uploads folder, and nothing from a file name leads outside it."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from ..errors import InputError


def safe_name(name: str) -> str:
    """A file name with no directories, no leading dot and nothing a shell or a path would read specially."""
    base = Path(name).name
    return re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", base).lstrip(".") or "upload"


def save(source: str | Path, folder: Path, max_bytes: int, name: str = "") -> Path:
    """Copy ``source`` into ``folder`` under a safe name (never over a different file); a zip is unpacked into
    a folder of its own, which is returned instead."""
    src = Path(source)
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(name or src.name)
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists() and target.read_bytes() != src.read_bytes():
        n += 1
        target = folder / f"{stem}_{n}{suffix}"
    if target.resolve().parent != folder:
        raise InputError("文件名不合法", "请重命名文件后再上传。")
    shutil.copyfile(src, target)
    return unzip(target, max_bytes) if target.suffix.lower() == ".zip" else target


def unzip(archive: Path, max_bytes: int) -> Path:
    """A folder of the archive's files beside it; no member may land outside that folder."""
    folder = archive.with_suffix("").resolve()
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                # Names in zips made on Chinese Windows are GBK but flagged as cp437.
                name = info.filename if info.flag_bits & 0x800 else _zip_name(info.filename)
                target = (folder / name).resolve()
                if not target.is_relative_to(folder):
                    raise InputError(f"{archive.name}：压缩包里有指向外部的路径 {name}", "请重新打包后上传。")
                if info.file_size > max_bytes:
                    continue  # ingest would refuse it anyway; do not unpack a bomb to find out
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(info))
    except zipfile.BadZipFile as exc:
        raise InputError(f"{archive.name}：压缩包已损坏", "请重新打包后上传。") from exc
    archive.unlink()
    return folder


def _zip_name(name: str) -> str:
    try:
        return name.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name
