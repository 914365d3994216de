"""One typed settings object, read from ``WORKBENCH_*`` environment variables.

Nothing is created at import time or when Settings is built: directories appear when a store is opened.
``WORKBENCH_HOME`` relocates all state of a library (Chroma data, keyword index, locks, uploads, reports).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_model_dir() -> Path:
    return Path.home() / ".cache" / "workbench" / "models"


class Settings(BaseSettings):
    """Every knob of the workbench. Override by keyword or by ``WORKBENCH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="WORKBENCH_", frozen=True, extra="forbid")

    home: Path = Field(default=Path("vectorstore"), description="the library: store, index, uploads, reports")
    model_dir: Path = Field(default_factory=_default_model_dir, description="assembled model files, shared")
    chroma_url: str | None = Field(default=None, description="a Chroma server instead of the embedded store")
    embedder: str = Field(default="e5-small", description="e5-small | use-m | st:<dir> | openai:<url> | fake")
    embed_model: str = Field(default="", description="model name sent to an openai:<url> embeddings server")
    api_key: str = Field(default="", description="key for openai:<url> servers")
    llm: str = Field(
        default="local", description="local | local:qwen-0.5b | local:<file.gguf> | openai:<url> | fake"
    )
    llm_model: str = Field(default="", description="model name sent to an openai:<url> chat server")
    n_ctx: int = Field(default=4096, ge=512, le=32768, description="context window of a local model")
    precedents: int = Field(default=2, ge=0, le=8, description="precedents shown to the model per draft")
    precedent_tokens: int = Field(default=300, ge=0, description="model tokens for all precedent outlines")
    condense_tokens: int = Field(
        default=900, ge=100, description="model tokens of source sentences per summary"
    )
    max_tokens: int = Field(default=900, ge=16, description="model tokens a draft may have")
    section_tokens: int = Field(
        default=360, ge=16, description="model tokens one section of a draft may have"
    )
    judge: bool = Field(default=True, description="ask the LLM about claims the rules leave open")
    judge_threshold: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="P(是) for 'supported'; None: the packaged model's calibrated value",
    )
    keyword_weight: float = Field(
        default=1.5, ge=0, description="weight of the BM25 ranking in fusion (dense = 1)"
    )
    chunk_tokens: int = Field(default=256, ge=32, le=2048, description="cl100k tokens per chunk at most")
    max_file_mb: float = Field(default=50.0, gt=0, description="files larger than this are refused")
    embed_batch: int = Field(default=32, ge=1, le=1024)
    threads: int = Field(default=0, ge=0, description="CPU threads for local models; 0 = all cores")

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 2**20)

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def keyword_dir(self) -> Path:
        return self.home / "keyword"

    @property
    def lock_path(self) -> Path:
        return self.home / ".write.lock"
