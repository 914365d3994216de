"""Hybrid retrieval arithmetic: reciprocal rank fusion and near-duplicate collapse (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

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


# -- documents: one score per document from chunk rankings -------------------------------------------------
AGGREGATIONS = ("max", "top2", "rrf")  # a document's best chunk, its best two, all its chunks


def aggregate(ranking: Sequence[str], doc_of: Mapping[str, str], how: str, k: int = RRF_K) -> list[str]:
    """A chunk ranking turned into a document ranking: each chunk adds 1 / (k + rank) to its document,
    counting only the document's best chunk (``max``), its best two (``top2``) or all of them (``rrf``)."""
    take = {"max": 1, "top2": 2, "rrf": len(ranking)}[how]
    seen: dict[str, list[float]] = {}
    for rank, cid in enumerate(ranking, start=1):
        seen.setdefault(doc_of[cid], []).append(1.0 / (k + rank))
    scores = {d: sum(v[:take]) for d, v in seen.items()}
    return sorted(scores, key=lambda d: -scores[d])  # stable: ties keep first appearance


def fuse_documents(
    chunk_rankings: Sequence[tuple[Sequence[str], float]],
    doc_rankings: Sequence[tuple[Sequence[str], float]],
    doc_of: Mapping[str, str],
    how: str,
) -> dict[str, float]:
    """Weighted RRF of document rankings: chunk rankings (dense, keyword) aggregated by ``how``, and rankings
    that are by document already (titles); each given as (ranking, weight)."""
    rankings = [aggregate(r, doc_of, how) for r, _ in chunk_rankings] + [list(r) for r, _ in doc_rankings]
    weights = [w for _, w in chunk_rankings] + [w for _, w in doc_rankings]
    return rrf(rankings, weights=weights)
