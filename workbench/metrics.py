"""Retrieval metrics: pure arithmetic over the rank at which the expected document was found."""

from __future__ import annotations

from collections.abc import Sequence


def retrieval_metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    """hit@1, hit@5 and MRR for 1-based ranks (None: not found). Empty input gives zeros."""
    n = len(ranks)
    if n == 0:
        return {"hit@1": 0.0, "hit@5": 0.0, "mrr": 0.0, "n": 0}
    found = [r for r in ranks if r is not None]
    return {
        "hit@1": sum(r == 1 for r in found) / n,
        "hit@5": sum(r <= 5 for r in found) / n,
        "mrr": sum(1.0 / r for r in found) / n,
        "n": n,
    }


def first_rank(found: Sequence[str], expected: str) -> int | None:
    """1-based rank of the first hit from the expected document, None when absent."""
    for rank, doc in enumerate(found, start=1):
        if doc == expected:
            return rank
    return None
