"""对照要点 speed: plan-check (no drafting) of a 19-item plan against 100 facts with the real e5-small embedder.

    python -m bench.plancheck [RUNS]

The plan is the real 2020 工作要点 of ../shared/corpus (19 items; exits cleanly where it is absent); the facts
are the 100 first of evals/plancheck.jsonl (fictional, most about other plans: the cost is the same). Prints
the first run in a fresh Workbench (the model and jieba loaded) and the median of RUNS (default 5) warm runs,
against the issue's target of 5 s on 2 cores.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from workbench import Settings, Workbench

from .common import ROOT, median, save

PLAN = ROOT.parent / "shared" / "corpus" / "002_7f016c66f8d614bf.txt"
TARGET_SECONDS = 5.0
FACTS = 100


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if not PLAN.is_file():
        print(f"skipped: {PLAN} is absent (this benchmark needs ../shared/corpus)")
        return
    rows = [
        json.loads(ln)
        for ln in (ROOT / "evals" / "plancheck.jsonl").read_text(encoding="utf-8").splitlines()
        if ln
    ]
    facts = "\n".join([f["text"] for r in rows for f in r["facts"]][:FACTS])
    with tempfile.TemporaryDirectory() as home:
        wb = Workbench(Settings(home=Path(home), embedder="e5-small", llm="fake"))
        plan = wb.read_text(PLAN)
        t0 = time.perf_counter()
        first = wb.plan_check(plan, facts)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            wb.plan_check(plan, facts)
            warm.append(time.perf_counter() - t0)
    result = {
        "items": len(first.items),
        "facts": len(first.facts),
        "embedder": "e5-small",
        "cold_seconds": round(cold, 3),
        "warm_median_seconds": round(median(warm), 3),
        "warm_runs": [round(s, 3) for s in warm],
        "target_seconds": TARGET_SECONDS,
        "cold_vs_target": round(cold / TARGET_SECONDS, 3),
        "warm_vs_target": round(median(warm) / TARGET_SECONDS, 3),
        "counts": first.counts,
    }
    save("plancheck", result)


if __name__ == "__main__":
    main()
