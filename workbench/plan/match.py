"""Which plan item each fact reports on: shared words (jieba, weighted by how few items use them) plus the
embedder's cosine, relative to the fact's average over all items. A fact whose best score stays under the
threshold matches no item. The user's mapping (fact text or 1-based number → item id or null) overrides.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..backends.embed import Vectors
from ..errors import InputError
from ..text.tokens import tokenize, words
from .parse import Item, figures

Embed = Callable[[Sequence[str]], Vectors]
Progress = Callable[[int, int], None]  # (done, total)

THRESHOLD = 0.4  # calibrated on evals/plancheck.jsonl with the fake and e5-small embedders (README)
COSINE_WEIGHT = 0.5  # how much the relative cosine adds to the word score (same calibration)
_UNKNOWN_WEIGHT = 0.5  # a fact's word no item uses (a school's name, a date) counts half against it
_BATCH = 32
_ITEM_CHARS = 80  # an item's title and opening: as accurate as 200 characters on the eval set, 2.5× faster


@dataclass(frozen=True)
class Fact:
    text: str
    source: str = ""

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


def _words(text: str, parts: bool = False) -> set[str]:
    """A text's words of two characters or more, and the units of its figures (#间: a fact reporting 126间
    answers the item that promised 120间; a common unit like % weighs little, being in many items). With
    ``parts`` (an item's side) the words' parts too (中小学 → 中小, 小学), so a fact's 智慧 finds 智慧教室;
    a fact keeps whole words, so 中小学 counts once."""
    found = set(words(text)) | (set(tokenize(text)) if parts else set())
    return {t for t in found if len(t) >= 2 and not t[0].isdigit()} | {f"#{q.unit}" for q in figures(text)}


def word_scores(items: Sequence[Item], facts: Sequence[Fact]) -> np.ndarray:
    """facts × items: the share of a fact's words (weighted by rarity among items) the item also uses."""
    vocab = [_words(f"{i.title} {i.text}", parts=True) for i in items]
    n = len(items)
    df: dict[str, int] = {}
    for item_words in vocab:
        for w in item_words:
            df[w] = df.get(w, 0) + 1
    top = math.log(1 + n)
    out = np.zeros((len(facts), n), dtype=np.float32)
    for r, fact in enumerate(facts):
        weight = {w: math.log(1 + n / df[w]) if w in df else top * _UNKNOWN_WEIGHT for w in _words(fact.text)}
        total = sum(weight.values())
        if not total:
            continue
        for c, item_words in enumerate(vocab):
            out[r, c] = sum(v for w, v in weight.items() if w in item_words) / total
    return out


def _embed(embed: Embed, texts: list[str], progress: Progress | None, done: int, total: int) -> Vectors:
    parts = []
    for start in range(0, len(texts), _BATCH):
        parts.append(embed(texts[start : start + _BATCH]))
        if progress:
            progress(done + min(start + _BATCH, len(texts)), total)
    return np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def scores(
    items: Sequence[Item], facts: Sequence[Fact], embed: Embed | None, progress: Progress | None = None
) -> np.ndarray:
    """facts × items: word score plus the cosine above the fact's mean over all items."""
    shared = word_scores(items, facts)
    if embed is None or not facts or not items:
        return shared
    total = len(items) + len(facts)
    item_vecs = _embed(embed, [f"{i.title}。{i.text[:_ITEM_CHARS]}" for i in items], progress, 0, total)
    fact_vecs = _embed(embed, [f.text for f in facts], progress, len(items), total)
    cos = fact_vecs @ item_vecs.T
    out: np.ndarray = shared + COSINE_WEIGHT * (cos - cos.mean(axis=1, keepdims=True))
    return out


def match(
    items: Sequence[Item],
    facts: Sequence[Fact],
    embed: Embed | None,
    mapping: Mapping[str, str | None] | None = None,
    progress: Progress | None = None,
    threshold: float = THRESHOLD,
) -> list[str | None]:
    """The item id each fact reports on (None: no item), the user's mapping applied last."""
    table = scores(items, facts, embed, progress)
    out: list[str | None] = []
    for r in range(len(facts)):
        best = int(np.argmax(table[r])) if len(items) else -1
        out.append(items[best].id if best >= 0 and table[r, best] >= threshold else None)
    return apply_mapping(out, items, facts, mapping or {})


def apply_mapping(
    assigned: list[str | None],
    items: Sequence[Item],
    facts: Sequence[Fact],
    mapping: Mapping[str, str | None],
) -> list[str | None]:
    """The user's corrections: a key is a fact's text or its number (1-based, "3" or "f3"); a value an item
    id, or null for "this fact reports on no item". Keys or ids that fit nothing are a clear error."""
    ids = {i.id for i in items}
    by_text = {f.text.strip(): n for n, f in enumerate(facts)}
    out = list(assigned)
    for key, item in mapping.items():
        k = str(key).strip()
        number = k[1:] if k[:1] in ("f", "F") and k[1:].isdigit() else k
        if k in by_text:
            at = by_text[k]
        elif number.isdigit() and 1 <= int(number) <= len(facts):
            at = int(number) - 1
        else:
            raise InputError(
                f"对应关系里的“{k[:30]}”既不是某条事实的原文，也不是事实的序号（1—{len(facts)}）",
                '键写事实原文或序号（如 "3"），值写要点编号（如 "5"）或 null。',
            )
        if item is not None and str(item) not in ids:
            raise InputError(
                f"对应关系把事实 {at + 1} 归到了不存在的要点“{item}”",
                f"要点编号为 1—{len(items)}，或写 null 表示不属于任何要点。",
            )
        out[at] = None if item is None else str(item)
    return out
