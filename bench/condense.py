"""Condensing real government work reports: time (and where it goes), coverage, figures, length, precision.

    python -m bench.condense [--llm local] [--chars 800] [--reports 8] [--label new] [--long]

Over the long government reports in ``../shared/corpus/gov`` (real text, read here only, never copied into
the project; the benchmark exits cleanly where they are absent), each report is condensed with the check
(the judge included, as ``workbench condense`` does) and measured: wall time, time to the first complete
sentence, key figures kept against key figures in the source, share of top-level sections with a summary
sentence traced to them, length within ±15 %, number precision. The model is wrapped to time each call:
selection (before the first call), prompt processing (to each reply's first piece), generation, sentence
repairs, and the check (rules, and each judge call with its prompt length). ``--long`` condenses a 200 KB
and a 1 MB input made of the reports joined, and cancels one run after its first sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench import FakeEmbedder, Settings, Workbench
from workbench.backends.llm import LLM, Message, make_llm
from workbench.evaluation.run import number_precision
from workbench.library.documents import load_document
from workbench.write.condense_parts import coverage, figures_kept, top_level, trace

from .common import RESULTS, ROOT, save

GOV = ROOT.parent / "shared" / "corpus" / "gov"
_ENDS = "。！？；"


@dataclass
class Call:
    kind: str  # write | fix | judge
    start: float
    end: float
    first: float  # seconds to the first piece (prompt processing)
    prompt_tokens: int  # the user message (the system prompt stays in the KV cache)
    tokens: int
    reply: str = ""


class TimedLLM(LLM):
    """The model, with every call timed: what it was for, its prompt length, first piece, end."""

    def __init__(self, inner: LLM) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: list[Call] = []

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def warm(self, messages: Sequence[Message]) -> None:
        self.inner.warm(messages)

    def stream(
        self, messages: Sequence[Message], max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        user = messages[-1]["content"]
        kind = "fix" if user.startswith("下面这句话有错误") else "write"
        prompt = self.inner.count_tokens(user)
        start, first, out = time.perf_counter(), 0.0, list[str]()
        try:
            for piece in self.inner.stream(messages, max_tokens, temperature):
                if not out:
                    first = time.perf_counter() - start
                out.append(piece)
                yield piece
        finally:
            reply = "".join(out)
            self.calls.append(
                Call(kind, start, time.perf_counter(), first, prompt, self.inner.count_tokens(reply), reply)
            )

    def yes_probability(self, messages: Sequence[Message]) -> float:
        prompt = self.inner.count_tokens(messages[-1]["content"])
        start = time.perf_counter()
        p = self.inner.yes_probability(messages)
        end = time.perf_counter()
        self.calls.append(Call("judge", start, end, end - start, prompt, 1))
        return p


def reports(limit: int) -> list[tuple[str, str]]:
    """(short name, cleaned text) of the government reports, or exit cleanly where they are absent."""
    if not GOV.is_dir():
        print(f"skipped: {GOV} is absent (this benchmark needs ../shared/corpus/gov)")
        raise SystemExit(0)
    out = []
    for path in sorted(GOV.glob("*.txt"))[:limit]:
        name = path.stem.split("_")[1] if path.stem.count("_") >= 2 else path.stem
        out.append((name, load_document(path, 10**8).text))
    return out


def run_one(
    wb: Workbench, llm: TimedLLM, text: str, chars: int, cancel_after_first: bool = False
) -> dict[str, Any]:
    """Condense one text and measure everything the README reports."""
    llm.calls.clear()
    seen: dict[str, Any] = {"text": "", "first": 0.0}
    stop = threading.Event()
    start = time.perf_counter()

    def on_token(piece: str) -> None:
        seen["text"] += piece
        if not seen["first"] and any(c in seen["text"] for c in _ENDS):
            seen["first"] = time.perf_counter() - start
            if cancel_after_first:
                stop.set()

    cpu = time.process_time()
    s = wb.condense(text, chars, on_token=on_token, cancelled=stop.is_set)
    wall = time.perf_counter() - start
    cpu_share = (time.process_time() - cpu) / (wall * (os.cpu_count() or 1))
    writes = [c for c in llm.calls if c.kind == "write"]
    fixes = [c for c in llm.calls if c.kind == "fix"]
    judges = [c for c in llm.calls if c.kind == "judge"]
    made = max((c.end for c in writes + fixes), default=start)
    return {
        "source_chars": len(text),
        "target": chars,
        "chars": s.chars,
        "within_15pct": abs(s.chars - chars) <= 0.15 * chars,
        "wall_s": round(wall, 1),
        "first_sentence_s": round(seen["first"], 1),
        **quality(s.summary, text),
        # Below ~0.9 something else was using the cores: the times of that run are inflated.
        "cpu_share": round(cpu_share, 2),
        "check_score": round(s.check.score, 3) if s.check else None,
        "time": {
            "selection_s": round((writes[0].start if writes else made) - start, 2),
            "prompt_s": round(sum(c.first for c in writes), 2),
            "generation_s": round(sum(c.end - c.start - c.first for c in writes), 2),
            "write_calls": len(writes),
            "prompt_tokens": sum(c.prompt_tokens for c in writes),
            "generated_tokens": sum(c.tokens for c in writes),
            "fix_calls": len(fixes),
            "fix_s": round(sum(c.end - c.start for c in fixes), 2),
            "judge_calls": len(judges),
            "judge_s": round(sum(c.end - c.start for c in judges), 2),
            "judge_prompt_tokens_mean": round(statistics.mean(c.prompt_tokens for c in judges), 1)
            if judges
            else 0,
            "check_rules_s": round(start + wall - made - sum(c.end - c.start for c in judges), 2),
        },
        "topped_up": s.topped_up,
        "summary": s.summary,
    }


def quality(summary: str, text: str) -> dict[str, Any]:
    """What the summary keeps of the report: key figures, sections reached, precision of its numbers."""
    kept, in_source = figures_kept(summary, text)
    parts = top_level(text)
    traced = trace(summary, parts)
    sentences = [x for x in re.split(r"(?<=[。！？；])", summary.replace("\n", "")) if x.strip()]
    return {
        "figures_kept": kept,
        "figures_in_source": in_source,
        "sections": len(parts),
        "sections_covered": round(coverage(summary, parts), 3),
        "sentences_per_section": [traced.count(i) for i in range(len(parts))],
        "number_precision": round(number_precision(summary, text), 3),
        # Characters in sentences the report has word for word (copied by the model or topped up).
        "verbatim_share": round(
            sum(len(x) for x in sentences if x.rstrip("。；！？") in text) / max(1, len(summary)), 2
        ),
    }


def rescore(label: str) -> None:
    """Recompute the quality columns of saved runs (the same measure for an older implementation's)."""
    path = RESULTS / f"condense-{label}.json"
    result = json.loads(path.read_text(encoding="utf-8"))
    texts = dict(reports(99))
    for chars, rows in result["runs"].items():
        for name, row in rows.items():
            row.update(quality(row["summary"], texts[name]))
        result["medians"][chars] = medians(list(rows.values()))
    _write(path, result)
    print(table(result))


def medians(rows: list[dict[str, Any]]) -> dict[str, float]:
    keys: tuple[str, ...] = (
        "wall_s",
        "first_sentence_s",
        "figures_kept",
        "figures_in_source",
        "sections_covered",
        "chars",
    )
    keys += ("verbatim_share",) if all("verbatim_share" in r for r in rows) else ()
    out: dict[str, float] = {k: statistics.median(r[k] for r in rows) for k in keys}
    out["within_15pct"] = sum(r["within_15pct"] for r in rows) / len(rows)
    out["number_precision"] = min(r["number_precision"] for r in rows)
    out["all_sections_covered"] = sum(r["sections_covered"] == 1.0 for r in rows) / len(rows)
    return out


def table(result: dict[str, Any]) -> str:
    lines = [
        "| report | chars | target | wall s | first sentence s | figures kept / in source | sections covered |"
        " ±15 % | precision |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for chars, rows in result["runs"].items():
        for name, r in rows.items():
            lines.append(
                f"| {name} | {r['source_chars']:,} | {chars} | {r['wall_s']} | {r['first_sentence_s']} | "
                f"{r['figures_kept']} / {r['figures_in_source']} | {r['sections_covered']:.2f} | "
                f"{'yes' if r['within_15pct'] else 'no'} ({r['chars']}) | {r['number_precision']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--llm", default="local")
    parser.add_argument("--chars", default="800", help="comma-separated targets, e.g. 400,800,1500")
    parser.add_argument("--reports", type=int, default=8, help="the first N reports (sorted by name)")
    parser.add_argument("--label", default="new", help="results file name: condense-<label>.json")
    parser.add_argument("--long", action="store_true", help="also a 200 KB and a 1 MB input, and a cancel")
    parser.add_argument("--rescore", action="store_true", help="recompute the quality columns of saved runs")
    args = parser.parse_args()
    if args.rescore:
        rescore(args.label)
        return
    docs = reports(args.reports)
    llm = TimedLLM(make_llm(Settings(llm=args.llm)))
    wb = Workbench(
        Settings(home=RESULTS / "condense-lib", embedder="fake", llm=args.llm),
        embedder=FakeEmbedder(),
        llm=llm,
    )
    wb.warm()  # load the model and read the standing rules, as the server does at start
    name = f"condense-{args.label}"
    out: dict[str, Any] = {"model": llm.name, "runs": {}, "medians": {}}
    path = RESULTS / f"{name}.json"
    if path.exists():  # runs at other lengths or of other reports are kept; the same ones replaced
        old = json.loads(path.read_text(encoding="utf-8"))
        out["runs"] = old.get("runs", {})
    for chars in (int(c) for c in args.chars.split(",")):
        rows = out["runs"].setdefault(str(chars), {})
        for report, text in docs:
            rows[report] = run_one(wb, llm, text, chars)
            brief = {k: v for k, v in rows[report].items() if k != "summary"}
            print(report, chars, json.dumps(brief, ensure_ascii=False), flush=True)
            out["medians"][str(chars)] = medians(list(rows.values()))
            _write(path, out)  # partial results survive a stopped run
    if args.long:
        joined = "\n".join(t for _, t in docs)
        for size in (200_000, 1_000_000):  # bytes of UTF-8, as a file's size is read (~3 per character)
            raw = (joined * (size // len(joined.encode()) + 1)).encode()[:size]
            text = raw.decode("utf-8", errors="ignore")
            out[f"long_{size}"] = {k: v for k, v in run_one(wb, llm, text, 800).items() if k != "summary"}
            print(size, out[f"long_{size}"], flush=True)
        r = run_one(wb, llm, docs[0][1], 800, cancel_after_first=True)
        out["cancel"] = {"first_sentence_s": r["first_sentence_s"], "returned_after_s": r["wall_s"]}
    save(name, out)
    print(table(out))


def _write(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
