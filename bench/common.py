"""Helpers shared by the benchmarks: the shared news corpus, timing, result files."""

from __future__ import annotations

import json
import platform
import re
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
NEWS = ROOT.parent / "shared" / "corpus" / "news"
_STAMP = re.compile(r"^\[\s*[\d\-]+\s+[\d：:]+\s*\]\s*[，,]?\s*(正文[:：])?")


def news_articles(n: int, offset: int = 0) -> list[str]:
    """``n`` articles of the shared news corpus (one per line), or exit cleanly where it is absent."""
    if not NEWS.is_dir():
        print(f"skipped: {NEWS} is absent (benchmarks need ../shared/corpus)")
        sys.exit(0)
    articles: list[str] = []
    for path in sorted(NEWS.glob("*.txt")):
        articles.extend(line for line in path.read_text(encoding="utf-8").split("\n") if len(line) > 80)
    return articles[offset : offset + n]


def write_articles(directory: Path, articles: list[str]) -> Path:
    """One .txt file per article, the date stamp kept on its own first line as a news page shows it."""
    directory.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(articles):
        m = _STAMP.match(text)
        body = text[m.end() :] if m else text
        head = m.group(0).strip(" ，,正文:：") if m else ""
        (directory / f"news_{i:05d}.txt").write_text(f"{head}\n{body}\n", encoding="utf-8")
    return directory


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    import os

    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def save(name: str, result: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"machine": machine(), **result}
    (RESULTS / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
