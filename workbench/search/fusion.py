"""Hybrid retrieval arithmetic: reciprocal rank fusion and near-duplicate collapse (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Sequence

RRF_K = 60
_NOISE = re.compile(r"[\W_]+")


def rrf(
    rankings: Sequence[Sequence[str]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> dict[str, float]:
    """Reciprocal rank fusion: each list adds weight / (k + rank) to an id, rank counted from 1."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    return scores


def _shingles(text: str, n: int = 3) -> set[str]:
    s = _NOISE.sub("", text)
    return {s[i : i + n] for i in range(max(1, len(s) - n + 1))}


def near_duplicate(a: str, b: str, threshold: float = 0.85) -> bool:
    """Two chunks say the same thing when their character 3-gram sets overlap this much (Jaccard)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return a == b
    return len(sa & sb) / len(sa | sb) >= threshold


def collapse(ranked: Sequence[tuple[str, str]], k: int) -> list[str]:
    """The first ``k`` ids of (id, text) pairs, best first, skipping near duplicates of earlier ones."""
    kept: list[tuple[str, str]] = []
    for key, text in ranked:
        if any(near_duplicate(text, other) for _, other in kept):
            continue
        kept.append((key, text))
        if len(kept) == k:
            break
    return [key for key, _ in kept]
