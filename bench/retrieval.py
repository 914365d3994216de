"""Retrieval quality per embedder, dense only vs keyword only vs hybrid.

    python -m bench.retrieval [EMBEDDER ...]

Two sets: ``evals/retrieval.jsonl`` over the sample reports (paraphrased titles and content questions,
written for the project), and a news set built on the fly from ../shared/corpus (where present): 500
articles, 150 queries, each a sentence from the middle of one article. hit@1, hit@5 and MRR.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from workbench import Settings, Workbench
from workbench.data import samples_dir
from workbench.evaluation.metrics import first_rank, retrieval_metrics

from .common import NEWS, RESULTS, ROOT, news_articles, save, write_articles

MODES = ("dense", "keyword", "hybrid")


def evaluate(wb: Workbench, items: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """items: (query, expected file name). Ranks are by document (a document's best chunk counts)."""
    name_of = {d.doc_id: Path(p).name for d in wb.list_documents() for p in d.paths}
    out = {}
    for mode in MODES:
        ranks = []
        for query, expected in items:
            docs = list(dict.fromkeys(name_of.get(h.doc_id, "") for h in wb.search(query, k=10, mode=mode)))
            ranks.append(first_rank(docs, expected))
        out[mode] = {k: round(v, 3) for k, v in retrieval_metrics(ranks).items()}
    return out


def library(embedder: str, name: str, source: Path) -> Workbench:
    home = RESULTS / f"{name}-{embedder.replace(':', '_').replace('/', '_')}"
    if name == "news" and embedder == "e5-small" and (RESULTS / "news-e5").is_dir():
        home = RESULTS / "news-e5"  # built by bench.ingest from the same 500 articles
    wb = Workbench(Settings(home=home, embedder=embedder))
    wb.ingest([source], progress=False)
    return wb


def main() -> None:
    embedders = sys.argv[1:] or ["e5-small", "use-m", "fake"]
    sample_items = [
        (row["query"], row["doc"])
        for row in map(
            json.loads, (ROOT / "evals" / "retrieval.jsonl").read_text(encoding="utf-8").splitlines()
        )
    ]
    result: dict[str, object] = {"samples_queries": len(sample_items)}
    news_items: list[tuple[str, str]] = []
    if NEWS.is_dir():
        articles = news_articles(500)
        files = write_articles(RESULTS / "news-files", articles)
        for i in range(0, 500, 500 // 150 + 1):
            body = (files / f"news_{i:05d}.txt").read_text(encoding="utf-8")
            sentences = [s for s in body.replace("！", "。").split("。") if 15 <= len(s) <= 60]
            if len(sentences) >= 3:
                news_items.append((sentences[len(sentences) // 2], f"news_{i:05d}.txt"))
        result["news_queries"] = len(news_items)
    for embedder in embedders:
        samples_home = RESULTS / f"samples-{embedder}"
        shutil.rmtree(samples_home, ignore_errors=True)
        result[f"samples/{embedder}"] = evaluate(library(embedder, "samples", samples_dir()), sample_items)
        if news_items:
            result[f"news/{embedder}"] = evaluate(
                library(embedder, "news", RESULTS / "news-files"), news_items
            )
    save("retrieval", result)


if __name__ == "__main__":
    main()
