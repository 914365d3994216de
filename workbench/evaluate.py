"""Evaluation arithmetic (pure): balanced accuracy, confusion tables, per-kind flag rates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def faithfulness_metrics(
    labels: Sequence[str], flagged: Sequence[bool], kinds: Sequence[str]
) -> dict[str, Any]:
    """labels: "supported"/"unsupported"; flagged: the checker called the claim unsupported."""
    tp = sum(lab == "unsupported" and f for lab, f in zip(labels, flagged, strict=True))
    fn = sum(lab == "unsupported" and not f for lab, f in zip(labels, flagged, strict=True))
    fp = sum(lab == "supported" and f for lab, f in zip(labels, flagged, strict=True))
    tn = sum(lab == "supported" and not f for lab, f in zip(labels, flagged, strict=True))
    tpr = tp / (tp + fn) if tp + fn else 0.0
    tnr = tn / (tn + fp) if tn + fp else 0.0
    by_kind: dict[str, dict[str, float]] = {}
    for kind in sorted(set(kinds)):
        idx = [i for i, k in enumerate(kinds) if k == kind]
        by_kind[kind] = {"n": len(idx), "flagged": round(sum(flagged[i] for i in idx) / len(idx), 4)}
    return {
        "balanced_accuracy": round((tpr + tnr) / 2, 4),
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
