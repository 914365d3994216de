"""Evaluation arithmetic (pure): retrieval ranks, balanced accuracy, confusion tables, per-kind flag rates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


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


def balanced_accuracy(actual: Sequence[bool], predicted: Sequence[bool]) -> float:
    """The mean of the true-positive and true-negative rates (0.0 for a class with no items)."""
    pos = [p for a, p in zip(actual, predicted, strict=True) if a]
    neg = [not p for a, p in zip(actual, predicted, strict=True) if not a]
    return ((sum(pos) / len(pos) if pos else 0.0) + (sum(neg) / len(neg) if neg else 0.0)) / 2


def calibrate(probabilities: Sequence[float], supported: Sequence[bool]) -> tuple[float, float]:
    """The threshold with the best balanced accuracy on labelled items: (threshold, balanced accuracy)."""
    if all(supported) or not any(supported):
        return 0.5, 0.0
    best = (0.5, 0.0)
    for t in sorted(set(probabilities)):
        ba = balanced_accuracy(supported, [p >= t for p in probabilities])
        if ba > best[1]:
            best = (t, ba)
    return best


def faithfulness_metrics(
    labels: Sequence[str], flagged: Sequence[bool], kinds: Sequence[str]
) -> dict[str, Any]:
    """labels: "supported"/"unsupported"; flagged: the checker called the claim unsupported."""
    tp = sum(lab == "unsupported" and f for lab, f in zip(labels, flagged, strict=True))
    fn = sum(lab == "unsupported" and not f for lab, f in zip(labels, flagged, strict=True))
    fp = sum(lab == "supported" and f for lab, f in zip(labels, flagged, strict=True))
    tn = sum(lab == "supported" and not f for lab, f in zip(labels, flagged, strict=True))
    actual = [lab == "unsupported" for lab in labels]
    tpr = tp / (tp + fn) if tp + fn else 0.0
    tnr = tn / (tn + fp) if tn + fp else 0.0
    by_kind: dict[str, dict[str, float]] = {}
    for kind in sorted(set(kinds)):
        idx = [i for i, k in enumerate(kinds) if k == kind]
        by_kind[kind] = {"n": len(idx), "flagged": round(sum(flagged[i] for i in idx) / len(idx), 4)}
    return {
        "balanced_accuracy": round(balanced_accuracy(actual, list(flagged)), 4),
        "recall_unsupported": round(tpr, 4),
        "specificity": round(tnr, 4),
        "confusion": {"tp": tp, "fn": fn, "fp": fp, "tn": tn},
        "by_kind": by_kind,
        "n": len(labels),
    }


def balanced_accuracy_for(
    metrics: dict[str, Any], kinds: Sequence[str], supported_kinds: Sequence[str]
) -> float:
    """Balanced accuracy restricted to some unsupported kinds against the given supported kinds."""
    by = metrics["by_kind"]
    flagged_bad = [by[k]["flagged"] * by[k]["n"] for k in kinds if k in by]
    n_bad = sum(by[k]["n"] for k in kinds if k in by)
    ok = [(1 - by[k]["flagged"]) * by[k]["n"] for k in supported_kinds if k in by]
    n_ok = sum(by[k]["n"] for k in supported_kinds if k in by)
    if not n_bad or not n_ok:
        return 0.0
    return round(float(sum(flagged_bad) / n_bad + sum(ok) / n_ok) / 2, 4)


CONTROLS = ("original", "paraphrase", "shortened", "number_cn", "synonym")


def by_family(kinds: Sequence[str], flagged: Sequence[bool]) -> dict[str, dict[str, float]]:
    """Per error family of a hand-labelled set: ``caught`` (share of its false claims flagged) and
    ``cleared`` (share of its faithful controls, kind ``<family>_ok``, not flagged)."""
    out: dict[str, dict[str, float]] = {}
    for kind in sorted(set(kinds)):
        family, control = (kind[:-3], True) if kind.endswith("_ok") else (kind, kind in CONTROLS)
        rows = [f for k, f in zip(kinds, flagged, strict=True) if k == kind]
        entry = out.setdefault(family, {})
        entry["cleared" if control else "caught"] = round(
            sum(not f for f in rows) / len(rows) if control else sum(rows) / len(rows), 4
        )
        entry["n_controls" if control else "n"] = len(rows)
    return out


def flat(metrics: dict[str, dict[str, float]]) -> dict[str, float]:
    """{"state": {"caught": 0.9}} → {"caught_state": 0.9}: threshold keys in evals/config.toml."""
    return {
        f"{k}_{family}": v for family, row in metrics.items() for k, v in row.items() if not k.startswith("n")
    }
