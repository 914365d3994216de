"""Speed of the deterministic checker: a 5,000-character draft against its source, and claims per second.

    python -m bench.check

Uses the longest sample report as the source and a draft built from its sentences with every third one's
number changed (so the rules have real work: numbers, dates, names, evidence search).
"""

from __future__ import annotations

import re
import time

from workbench.check import RuleChecker
from workbench.documents import load_document

from .common import ROOT, save


def main() -> None:
    sources = [load_document(p, 10**7).text for p in sorted((ROOT / "samples").iterdir()) if p.is_file()]
    sentences = [s for s in re.split(r"(?<=[。！？；])", "\n".join(sources)) if s.strip()]
    draft = ""
    i = 0
    while len(draft) < 5000:
        s = sentences[i % len(sentences)]
        draft += re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), s) if i % 3 == 0 else s
        i += 1
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        checker = RuleChecker(sources)
        report = checker.check(draft)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    save(
        "check",
        {
            "draft_chars": len(draft),
            "source_chars": sum(map(len, sources)),
            "claims": len(report.claims),
            "seconds_best_of_5": round(best, 3),
            "claims_per_second": round(len(report.claims) / best, 1),
            "unsupported": sum(c.verdict == "unsupported" for c in report.claims),
            "target_seconds": 1.0,
        },
    )


if __name__ == "__main__":
    main()
