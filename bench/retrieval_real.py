"""Finding precedents on realistic queries: document mode against the plain baseline, and the tuning grid.

    python -m bench.retrieval_real [--grid-only]

The set is built by ``evals/build_retrieval_real.py`` from ../shared/corpus (titles and middle sentences taken
out of the indexed copies of 13 reports, 500 news articles as distractors, the 6 samples) plus the hand-written
paraphrases of ``evals/retrieval_paraphrase.jsonl``. The e5 library is cached in ``bench/results/retrieval-real-e5``
(embedding it is the expensive part) and ``bench/results/news-e5`` (bench/retrieval.py's news library) is derived
from it, embedding only the articles that differ.

Per query group: hit@1, hit@5, MRR of document mode (``Workbench.search(documents=True)``), of chunk mode
(documents by first appearance among 20 chunk hits, as the issue measured) and of the PLAIN BASELINE (BM25 over
whole documents and e5 document ranks, max over chunks, fused by RRF k=60), with the ratio to the baseline.
The grid (keyword weight × title weight × depth × aggregation) is scored on the same retrieved candidates with
``fusion.fuse_documents`` (the function document mode uses), on the realistic set and on the two old sets
(``evals/retrieval.jsonl`` over the samples, bench/retrieval.py's news set).
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import Settings, Workbench
from workbench.data import samples_dir
from workbench.evaluation.metrics import first_rank, retrieval_metrics
from workbench.search.fusion import AGGREGATIONS, aggregate, fuse_documents, rrf
from workbench.search.hybrid import TITLE_COVER, DocumentFusion
from workbench.text.tokens import tokenize

from .common import RESULTS, ROOT, news_articles, save, write_articles

DATASET = RESULTS / "retrieval_real.jsonl"
LIBRARY = RESULTS / "retrieval_real_library"
HOME = RESULTS / "retrieval-real-e5"
MAX_DEPTH = 200
GRID: dict[str, Sequence[Any]] = {  # the fields of DocumentFusion, in order
    "keyword_weight": (0.0, 0.5, 1.0),
    "whole_weight": (0.0, 1.0, 2.0),
    "title_weight": (0.0, 0.5, 1.0),
    "depth": (30, 100),
    "aggregation": AGGREGATIONS,
}


@dataclass
class Signals:
    """Everything retrieved for one query at the largest depth; the grid only re-fuses it."""

    expected: str
    group: str
    dense: list[str]
    keyword: list[str]
    whole: list[str]  # whole-document BM25 of the keyword index
    titles: list[str]  # titles the query covers
    doc_bm25: list[str] = field(default_factory=list)  # the plain baseline's BM25 over the raw texts
    source: str = ""  # sentences: "report" or "news", reported apart as well


def rows(path: Path, group: str = "") -> list[dict[str, str]]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{**r, "group": r.get("group") or group} for r in items]


def library(home: Path, source: Path) -> Workbench:
    wb = Workbench(Settings(home=home, embedder="e5-small"))
    wb.ingest([source], progress=False)  # cached: unchanged files cost a stat
    return wb


def news_library(real: Workbench) -> tuple[Workbench, list[dict[str, str]]]:
    """bench/retrieval.py's news library and queries; the library derived from the realistic one when absent
    (437 of its 500 articles are the same files, so only the 63 that lost a sentence are embedded)."""
    files = write_articles(RESULTS / "news-files", news_articles(500))
    home = RESULTS / "news-e5"
    if not home.is_dir():
        shutil.copytree(HOME, home)
        wb = Workbench(Settings(home=home, embedder="e5-small"))
        wb.ingest([files], progress=False)
        inside = str(LIBRARY.resolve())
        for record in list(wb.store.records().values()):
            if all(p.startswith(inside) for p in record.files):
                wb.remove(record.doc_id)
    wb = library(home, files)
    items = []
    for i in range(0, 500, 500 // 150 + 1):  # the queries of bench/retrieval.py
        body = (files / f"news_{i:05d}.txt").read_text(encoding="utf-8")
        sentences = [s for s in body.replace("！", "。").split("。") if 15 <= len(s) <= 60]
        if len(sentences) >= 3:
            items.append(
                {"query": sentences[len(sentences) // 2], "doc": f"news_{i:05d}.txt", "group": "news"}
            )
    return wb, items


def names(wb: Workbench) -> dict[str, str]:
    return {d.doc_id: Path(p).name for d in wb.list_documents() for p in d.paths}


def collect(wb: Workbench, items: list[dict[str, str]], baseline: bool) -> list[Signals]:
    """Each retriever's candidates per query, by file name; with ``baseline``, whole-document BM25 too."""
    import bm25s

    name_of = names(wb)
    searcher = wb.searcher
    whole, titles = searcher.doc_indexes()
    doc_ids = sorted(name_of)
    retriever = None
    if baseline:
        retriever = bm25s.BM25()
        retriever.index([tokenize(wb.document_text(d)) for d in doc_ids], show_progress=False)
    out = []
    for row in items:
        found = searcher.candidates(row["query"], MAX_DEPTH, None, None, None, "hybrid", fetch=False)
        chunk_name = {cid: name_of[d] for cid, d in found.doc_of.items()}
        signals = Signals(
            row["doc"],
            row["group"],
            [f"{chunk_name[c]}#{c}" for c in found.dense],
            [f"{chunk_name[c]}#{c}" for c in found.keyword],
            [name_of[d] for d, _ in whole.search(row["query"], MAX_DEPTH)],
            [name_of[d] for d, _ in titles.search(row["query"], MAX_DEPTH, cover=TITLE_COVER)],
            source=row.get("from", ""),
        )
        if retriever is not None:
            scores = retriever.get_scores(tokenize(row["query"]))
            order = sorted(range(len(doc_ids)), key=lambda i: -scores[i])[:MAX_DEPTH]
            signals.doc_bm25 = [name_of[doc_ids[i]] for i in order if scores[i] > 0]
        out.append(signals)
    return out


def doc_of(signals: Signals) -> dict[str, str]:
    return {c: c.split("#", 1)[0] for c in itertools.chain(signals.dense, signals.keyword)}


def fused(s: Signals, p: DocumentFusion) -> list[str]:
    chunks = [(s.dense[: p.depth], 1.0), (s.keyword[: p.depth], p.keyword_weight)]
    by_doc = [(s.whole[: p.depth], p.whole_weight), (s.titles[: p.depth], p.title_weight)]
    scores = fuse_documents(
        [c for c in chunks if c[0] and c[1] > 0], [b for b in by_doc if b[1] > 0], doc_of(s), p.aggregation
    )
    return sorted(scores, key=lambda d: -scores[d])


def plain_baseline(s: Signals) -> list[str]:
    scores = rrf([aggregate(s.dense, doc_of(s), "max"), s.doc_bm25])
    return sorted(scores, key=lambda d: -scores[d])


def metrics(ranks: list[int | None]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in retrieval_metrics(ranks).items()}


def by_group(signals: list[Signals], ranking: Any) -> dict[str, dict[str, float]]:
    groups: dict[str, list[int | None]] = {}
    for s in signals:
        rank = first_rank(ranking(s), s.expected)
        for group in (s.group, f"{s.group}_{s.source}") if s.source else (s.group,):
            groups.setdefault(group, []).append(rank)
    return {g: metrics(r) for g, r in sorted(groups.items())}


def product(wb: Workbench, items: list[dict[str, str]], documents: bool) -> dict[str, dict[str, float]]:
    """The workbench as a user runs it: ``search -k 20`` (documents by first appearance in chunk mode)."""
    name_of = names(wb)
    groups: dict[str, list[int | None]] = {}
    for row in items:
        hits = wb.search(row["query"], k=20, documents=documents)
        docs = list(dict.fromkeys(name_of.get(h.doc_id, "") for h in hits))
        rank = first_rank(docs, row["doc"])
        for group in (row["group"], f"{row['group']}_{row['from']}") if row.get("from") else (row["group"],):
            groups.setdefault(group, []).append(rank)
    return {g: metrics(r) for g, r in sorted(groups.items())}


def grid(sets: dict[str, list[Signals]]) -> list[dict[str, Any]]:
    table = []
    for values in itertools.product(*GRID.values()):
        p = DocumentFusion(*values)
        row: dict[str, Any] = dict(zip(GRID, values, strict=True))
        for name, signals in sets.items():
            for group, m in by_group(signals, lambda s, p=p: fused(s, p)).items():
                row[f"{name}/{group}"] = (m["hit@1"], m["hit@5"], m["mrr"])
        table.append(row)
    return table


def print_grid(table: list[dict[str, Any]]) -> None:
    columns = [c for c in table[0] if c not in GRID]
    print("kw  whole title depth agg  | " + " | ".join(f"{c} h@1/h@5/mrr" for c in columns))
    for row in table:
        cells = " | ".join("{:.2f}/{:.2f}/{:.2f}".format(*row[c]) for c in columns)
        head = (
            f"{row['keyword_weight']:<3} {row['whole_weight']:<5} {row['title_weight']:<5} {row['depth']:<5}"
        )
        print(f"{head} {row['aggregation']:<4} | {cells}")


def main() -> None:
    if not DATASET.is_file():
        subprocess.run(
            [sys.executable, str(ROOT / "evals" / "build_retrieval_real.py"), "--out", str(DATASET)]
        )
    if not DATASET.is_file():
        print("skipped: the realistic set needs ../shared/corpus")
        return
    real = library(HOME, LIBRARY)
    news, news_items = news_library(real)
    samples = library(RESULTS / "samples-e5", samples_dir())
    paraphrases = rows(ROOT / "evals" / "retrieval_paraphrase.jsonl", "paraphrase")
    sample_items = rows(ROOT / "evals" / "retrieval.jsonl", "old") + paraphrases  # 6 documents only
    real_items = rows(DATASET) + paraphrases  # the paraphrases again, among 519 documents
    sets = {
        "real": collect(real, real_items, baseline=True),
        "samples": collect(samples, sample_items, baseline=False),
        "news": collect(news, news_items, baseline=False),
    }
    table = grid(sets)
    print_grid(table)
    result: dict[str, Any] = {
        "queries": {k: len(v) for k, v in sets.items()},
        "default": vars(DocumentFusion()),
    }
    if "--grid-only" not in sys.argv:
        documents = product(real, real_items, documents=True)
        chunks = product(real, real_items, documents=False)
        base = by_group(sets["real"], plain_baseline)
        result["real"] = {
            group: {
                "documents": documents[group],
                "chunks": chunks[group],
                "baseline": base[group],
                "ratio_documents_to_baseline": {
                    m: round(documents[group][m] / base[group][m], 3) if base[group][m] else None
                    for m in ("hit@1", "hit@5", "mrr")
                },
            }
            for group in documents
        }
        result["old_sets_documents"] = {
            "samples": product(samples, sample_items, documents=True),
            "news": product(news, news_items, documents=True),
        }
        result["old_sets_chunks"] = {
            "samples": product(samples, sample_items, documents=False),
            "news": product(news, news_items, documents=False),
        }
    save("retrieval_real", result)
    grid_file = RESULTS / "retrieval_real_grid.json"
    grid_file.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
