"""The checker on sets it was not built from: hand-written claims, claims from real text, faithful drafts.

Each set's false claims are written by hand or made by a generator that does not use the checker's code,
with faithful controls beside them; results are reported per error family (caught / cleared).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ..backends.llm import LLM
from ..check import ClaimResult, RuleChecker
from ..check.judge import judge_open_claims
from .metrics import balanced_accuracy, by_family, flat


def judged(rows: list[dict[str, Any]], llm: LLM | None, threshold: float) -> tuple[list[ClaimResult], float]:
    """The checker's result on each {source, claim} row (one claim per row; a checker built once per source),
    with the model judge on what the rules leave open when ``llm`` is given; and the seconds it took."""
    checkers: dict[str, RuleChecker] = {}
    out: list[ClaimResult] = []
    t0 = time.perf_counter()
    for row in rows:
        checker = checkers.get(row["source"]) or checkers.setdefault(
            row["source"], RuleChecker([row["source"]])
        )
        report = checker.check(row["claim"], lines=True)
        if llm is not None:
            report = judge_open_claims(report, llm, threshold)
        out.append(report.claims[0])
    return out, time.perf_counter() - t0


def run_claim_set(rows: list[dict[str, Any]], llm: LLM | None, threshold: float) -> dict[str, Any]:
    """Balanced accuracy, caught/cleared per family, speed, and the items the checker got wrong."""
    results, seconds = judged(rows, llm, threshold)
    flags = [c.verdict == "unsupported" for c in results]
    wrong = [
        {"kind": r["kind"], "claim": r["claim"], "verdict": c.verdict, "reason": c.reason}
        for r, c, f in zip(rows, results, flags, strict=True)
        if f != (r["label"] == "unsupported")
    ]
    families = by_family([r["kind"] for r in rows], flags)
    actual = [r["label"] == "unsupported" for r in rows]
    return {
        "n": len(rows),
        "balanced_accuracy": round(balanced_accuracy(actual, flags), 4),
        "by_family": families,
        **flat(families),
        "claims_per_second": round(len(rows) / seconds, 1) if seconds else 0.0,
        "judge": llm.name if llm else None,
        "worst": wrong[:60],
    }


def run_recombined(rows: list[dict[str, Any]], llm: LLM | None, threshold: float) -> dict[str, Any]:
    """Drafts whose every sentence faithfully recombines their fact sheet: nothing may be flagged."""
    flagged: list[dict[str, str]] = []
    claims = open_claims = 0
    for row in rows:
        report = RuleChecker([row["facts"], row.get("unit", ""), row.get("period", "")]).check(row["draft"])
        if llm is not None:
            report = judge_open_claims(report, llm, threshold)
        claims += len(report.claims)
        open_claims += sum(c.verdict == "unverifiable" for c in report.claims)
        flagged += [
            {"type": row["type"], "claim": c.text, "reason": c.reason}
            for c in report.claims
            if c.verdict == "unsupported"
        ]
    return {
        "drafts": len(rows),
        "claims": claims,
        "false_flags": len(flagged),
        "clean": 1.0 if not flagged else 0.0,  # thresholds are minimums: 1.0 means no false flag at all
        "unverifiable_share": round(open_claims / max(1, claims), 4),
        "judge": llm.name if llm else None,
        "worst": flagged[:60],
    }


def ensure_built(dataset: Path, builder: Path) -> bool:
    """Build a set from the shared corpus when it is missing (its builder skips cleanly without the corpus);
    True when the set is there afterwards."""
    if not dataset.is_file() and builder.is_file():
        dataset.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(builder), "--out", str(dataset)], check=False, capture_output=True
        )
    return dataset.is_file()
