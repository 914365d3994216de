"""Trusted drafting against the old single-call path, on the hand-written fact sheets, with a local model.

    python -m bench.trusted [local|local:qwen-0.5b] [N]
    python -m bench.trusted local --timing [--repeat 3] [--trusted-only] [--type 活动简报]

For the first N sheets of each type in evals/factsheets_trusted.jsonl (default all), with the sample reports as
precedents: invented numbers, dates and names left in the final draft (by the rules, judge off), fact coverage
(ledger entries carried; the old path: fact lines whose atoms all appear), precedent masks (×) and prompt
markup in the text, time to the first token, whole seconds. Prints both paths and the ratios.

``--timing``: the issue's two lengths, on the sheets of evals/factsheets_timing.jsonl (a 10-fact 活动简报 for
~600 characters, an 18-fact 工作总结 for ~1,200), each drafted ``--repeat`` times by both paths with the
default settings (the judge on): the median of the time until the text is written and of the time until the
check is done too (what the user waits), characters, first token; the single-call path beside it.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from workbench import FakeEmbedder, Settings, Workbench
from workbench.check import RuleChecker
from workbench.data import evals_dir, samples_dir
from workbench.text.tokens import char_count
from workbench.write import ledger
from workbench.write.compose import FACT_CHECKS
from workbench.write.coverage import carried

from .common import machine, save

_MARKUP = re.compile(r"</?[\u4e00-\u9fff]{1,6}[ >]")


def measure(wb: Workbench, row: dict[str, Any], single: bool) -> dict[str, Any]:
    draft = wb.draft(
        row["type"], row["facts"], row.get("unit", ""), row.get("period", ""), single_call=single
    )
    sources = [row["facts"], row.get("unit", ""), row.get("period", "")]
    report = RuleChecker(sources).check(draft.text)
    invented = [
        f.text
        for c in report.claims
        for f in c.findings
        if f.status == "unsupported" and f.check in FACT_CHECKS
    ]
    facts = [
        e for e in ledger.build(row["facts"], row.get("unit", ""), row.get("period", "")) if e.role == "fact"
    ]
    sentences = re.split(r"(?<=[。！？；\n])", draft.text)
    covered = sum(any(carried(e, s) for s in sentences) for e in facts) / max(1, len(facts))
    return {
        "type": row["type"],
        "chars": len(draft.text),
        "invented": invented,
        "coverage": round(covered, 3),
        "masks": draft.text.count("×"),
        "markup": len(_MARKUP.findall(draft.text)),
        "first_token_seconds": round(draft.first_token_seconds, 2),
        "seconds": round(draft.seconds, 1),
        "repairs": len(draft.repairs),
    }


def summary(items: list[dict[str, Any]]) -> dict[str, Any]:
    n = max(1, len(items))
    return {
        "drafts": len(items),
        "with_invented": sum(bool(i["invented"]) for i in items),
        "invented_per_draft": round(sum(len(i["invented"]) for i in items) / n, 2),
        "coverage_mean": round(statistics.mean(i["coverage"] for i in items), 3),
        "masks": sum(i["masks"] for i in items),
        "markup": sum(i["markup"] for i in items),
        "first_token_median": statistics.median(i["first_token_seconds"] for i in items),
        "seconds_median": statistics.median(i["seconds"] for i in items),
        "seconds_by_type": {
            t: statistics.median(i["seconds"] for i in items if i["type"] == t)
            for t in {i["type"] for i in items}
        },
    }


def timing(spec: str, repeat: int, trusted_only: bool = False, kind: str = "") -> None:
    rows = [
        json.loads(x) for x in (evals_dir() / "factsheets_timing.jsonl").read_text("utf-8").splitlines() if x
    ]
    rows = [r for r in rows if not kind or r["type"] == kind]
    out: dict[str, Any] = {"model": spec, "machine": machine(), "repeat": repeat}
    with tempfile.TemporaryDirectory() as home:
        wb = Workbench(Settings(home=Path(home), embedder="fake", llm=spec), embedder=FakeEmbedder())
        wb.ingest([samples_dir()], progress=False)
        wb.warm()
        wb.draft("活动简报", "2024年3月，团支部组织团员开展志愿服务，共15人参加。")  # load the model once
        for row in rows:
            for single in (False,) if trusted_only else (False, True):
                runs = []
                for _ in range(repeat):
                    cpu0, t0 = time.process_time(), time.perf_counter()
                    draft = wb.draft(
                        row["type"], row["facts"], row["unit"], row["period"], single_call=single
                    )
                    wall = time.perf_counter() - t0
                    runs.append(
                        {
                            "chars": char_count(draft.text),
                            "written_s": round(draft.seconds, 1),
                            "with_check_s": round(wall, 1),
                            "first_token_s": round(draft.first_token_seconds, 2),
                            "generated_tokens": draft.tokens,
                            "repairs": len(draft.repairs),
                            "cpu_share": round(
                                (time.process_time() - cpu0) / wall / (os.cpu_count() or 1), 2
                            ),
                        }
                    )
                    print(row["type"], "single" if single else "trusted", runs[-1], flush=True)
                med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                out[f"{row['type']}-{'single' if single else 'trusted'}"] = {
                    "target_chars": row["target_chars"],
                    "median": med,
                    "runs": runs,
                }
    save(f"trusted-timing-{spec.replace(':', '_')}", out)


def main() -> None:
    if "--timing" in sys.argv:
        repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
        kind = sys.argv[sys.argv.index("--type") + 1] if "--type" in sys.argv else ""
        spec = next(
            (a for a in sys.argv[1:] if not a.startswith("--") and not a.isdigit() and a != kind), "local"
        )
        timing(spec, repeat, "--trusted-only" in sys.argv, kind)
        return
    spec = sys.argv[1] if len(sys.argv) > 1 else "local"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rows = [
        json.loads(x)
        for x in (evals_dir() / "factsheets_trusted.jsonl").read_text(encoding="utf-8").splitlines()
        if x
    ]
    rows = [r for i, r in enumerate(rows) if sum(x["type"] == r["type"] for x in rows[:i]) < n]
    with tempfile.TemporaryDirectory() as home:
        wb = Workbench(
            Settings(home=Path(home), embedder="fake", llm=spec, judge=False), embedder=FakeEmbedder()
        )
        wb.ingest([samples_dir()], progress=False)
        wb.draft("活动简报", "2024年3月，团支部组织团员开展志愿服务，共15人参加。")  # load the model once
        trusted = [m for r in rows if (m := measure(wb, r, single=False))]
        single = [m for r in rows if (m := measure(wb, r, single=True))]
    new, old = summary(trusted), summary(single)
    save(
        f"trusted-{spec.replace(':', '_')}",
        {
            "model": spec,
            "trusted": new,
            "single_call": old,
            "ratio_seconds_median": round(new["seconds_median"] / max(0.01, old["seconds_median"]), 2),
            "items_trusted": trusted,
            "items_single_call": single,
        },
    )


if __name__ == "__main__":
    main()
