"""Condense speed and number precision with the local model.

    python -m bench.condense [local|local:qwen-0.5b] [CHARS]

Summarises the longest sample report and a ~60 KB report (the samples, repeated with their sections renamed,
so the selection still has to choose), and reports seconds, length compliance (±15 %) and number precision:
the share of numbers in the summary that appear in the source (target 100 %).
"""

from __future__ import annotations

import sys
from typing import Any

from workbench import FakeEmbedder, Settings, Workbench
from workbench.backends.llm import make_llm
from workbench.data import samples_dir
from workbench.evaluation.run import number_precision
from workbench.library.documents import load_document

from .common import RESULTS, save


def main() -> None:
    spec = sys.argv[1] if len(sys.argv) > 1 else "local"
    chars = int(sys.argv[2]) if len(sys.argv) > 2 else 800
    llm = make_llm(Settings(llm=spec))
    wb = Workbench(
        Settings(home=RESULTS / "condense-lib", embedder="fake", llm=spec), embedder=FakeEmbedder(), llm=llm
    )
    docs = [load_document(p, 10**7).text for p in sorted((samples_dir()).iterdir()) if p.is_file()]
    longest = max(docs, key=len)
    big_parts: list[str] = []
    i = 0
    while sum(len(p.encode()) for p in big_parts) < 60_000:
        big_parts.append(docs[i % len(docs)].replace("2023年", f"{2000 + i % 24}年"))
        i += 1
    big = "\n".join(big_parts)
    wb.condense(longest, 200)  # warm: load the model and the system prompt
    out: dict[str, Any] = {"model": llm.name, "chars": chars}
    for name, text in (("longest_sample", longest), ("report_60kb", big)):
        want = min(chars, len(text) // 2)
        s = wb.condense(text, want)
        out[name] = {
            "source_bytes": len(text.encode()),
            "target_chars": want,
            "summary_chars": s.chars,
            "within_15pct": abs(s.chars - want) <= 0.15 * want,
            "seconds": round(s.seconds, 1),
            "number_precision": round(number_precision(s.summary, text), 3),
            "check_score": round(s.check.score, 3) if s.check else None,
        }
        print(name, out[name], flush=True)
    out["target_seconds_60kb"] = 60
    save(f"condense-{spec.replace(':', '_')}", out)


if __name__ == "__main__":
    main()
