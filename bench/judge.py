"""Calibrate the judge's threshold on the dev half of evals/faithfulness.jsonl, test it on the other half.

    python -m bench.judge [local|local:qwen-0.5b] [N]

Asks the model P(是) for each claim against its best evidence sentences (as the checker does), picks the
threshold with the best balanced accuracy on the even-numbered items, and reports it on the odd-numbered
ones, next to the model's raw answer (threshold 0.5) and the time per call.
"""

from __future__ import annotations

import json
import sys
import time

from workbench import Settings
from workbench.backends.llm import make_llm
from workbench.check import RuleChecker
from workbench.check.judge import ask
from workbench.evaluation.metrics import balanced_accuracy, calibrate

from .common import ROOT, save


def main() -> None:
    spec = sys.argv[1] if len(sys.argv) > 1 else "local"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    llm = make_llm(Settings(llm=spec))
    rows = [
        json.loads(x)
        for x in (ROOT / "evals" / "faithfulness.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    step = max(1, len(rows) // n)
    rows = rows[::step][:n]
    probs: list[float] = []
    labels: list[bool] = []
    t0 = time.perf_counter()
    for row in rows:
        evidence = RuleChecker([row["source"]]).check(row["claim"], lines=True).claims[0].evidence
        probs.append(ask(llm, row["claim"], evidence))
        labels.append(row["label"] == "supported")
    per_call = (time.perf_counter() - t0) / len(rows)
    dev = (probs[0::2], labels[0::2])
    test = (probs[1::2], labels[1::2])
    threshold, dev_ba = calibrate(*dev)

    def ba(ps: list[float], ls: list[bool], t: float) -> float:
        return round(balanced_accuracy(ls, [p >= t for p in ps]), 3)

    save(
        f"judge-{spec.replace(':', '_')}",
        {
            "model": llm.name,
            "items": len(rows),
            "seconds_per_call": round(per_call, 2),
            "threshold": round(threshold, 4),
            "dev_balanced_accuracy": round(dev_ba, 3),
            "test_balanced_accuracy": ba(*test, threshold),
            "test_balanced_accuracy_at_0.5": ba(*test, 0.5),
            "share_yes_at_0.5": round(sum(p >= 0.5 for p in probs) / len(probs), 3),
            "supported_share": round(sum(labels) / len(labels), 3),
        },
    )


if __name__ == "__main__":
    main()
