"""Ingest throughput on 500 news articles with the default embedder, against the raw embedder's own speed.

    python -m bench.ingest [N]

Prints chunks/s of a full ingest (read, clean, chunk, embed, store, keyword index), chunks/s of the bare
embedder on exactly the same inputs, their ratio (target >= 0.9), and the time to re-ingest unchanged files.
The store is kept in bench/results/news-e5/ for the search and retrieval benchmarks.
"""

from __future__ import annotations

import shutil
import sys
import time

from workbench import Settings, Workbench
from workbench.backends.embed import make_embedder
from workbench.library.chunking import chunk_text
from workbench.library.documents import load_document
from workbench.library.ingest import embed_inputs

from .common import RESULTS, news_articles, save, write_articles


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    files = write_articles(RESULTS / "news-files", news_articles(n))
    home = RESULTS / "news-e5"
    shutil.rmtree(home, ignore_errors=True)
    settings = Settings(home=home, embedder="e5-small")
    wb = Workbench(settings)
    wb.embedder.embed_passages(["预热"])  # load the model outside the timing

    t0 = time.perf_counter()
    report = wb.ingest([files], progress=False)
    ingest_s = time.perf_counter() - t0

    # The bare embedder on exactly what ingest embedded, in the same batch size.
    inputs: list[str] = []
    for path in sorted(files.glob("*.txt")):
        doc = load_document(path, 10**8)
        inputs += embed_inputs(doc, ((c.heading_path, c.text) for c in chunk_text(doc.doc_id, doc.text)))
    raw = make_embedder(settings)
    raw.embed_passages(["预热"])
    t0 = time.perf_counter()
    for start in range(0, len(inputs), settings.embed_batch):
        raw.embed_passages(inputs[start : start + settings.embed_batch])
    raw_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    again = Workbench(settings).ingest([files], progress=False)
    reingest_s = time.perf_counter() - t0

    save(
        "ingest",
        {
            "documents": report.added,
            "chunks": report.chunks,
            "errors": len(report.errors),
            "ingest_seconds": round(ingest_s, 2),
            "ingest_chunks_per_s": round(report.chunks / ingest_s, 2),
            "raw_embed_chunks_per_s": round(len(inputs) / raw_s, 2),
            "ratio_to_raw_embedder": round((report.chunks / ingest_s) / (len(inputs) / raw_s), 3),
            "reingest_unchanged_seconds": round(reingest_s, 2),
            "reingest_unchanged": again.unchanged,
        },
    )


if __name__ == "__main__":
    main()
