"""Build a realistic retrieval set from ../shared/corpus: titles and sentences taken out of the indexed copies.

    python evals/build_retrieval_real.py [--corpus DIR] [--out FILE]

Why: ``evals/retrieval.jsonl`` is lexically easy (keyword search alone scores 1.0 on it), so it cannot steer
fusion. Here, as a user finding a precedent would: the library holds the 13 titled reports of the corpus (the 5
education reports at the top, the 8 government reports in ``gov/``) with their titles taken out of the text,
the 6 sample reports of the package, and 500 news articles as distractors. Queries ``{"query", "doc", "group",
"from"}`` (``doc`` = the library file name):

- ``title``: each titled report's title (the first non-empty line or lines; a red-header banner and a document
  number are skipped). Every line equal to the title is taken out of the indexed copy.
- ``sentence``: 3 sentences from the middle of each titled report and 1 from each of ~60 news articles, each
  taken out of the indexed copy, so no query is a substring of the library (checked; a query that still is is
  dropped).

The library goes to ``retrieval_real_library/`` beside ``--out``. Corpus text never enters the repository: the
default output is ``bench/results/`` (git-ignored); ``workbench eval`` builds it under the store's ``evals/``.
Where the corpus is absent the script says so and exits 0. Nothing from ``workbench`` is imported.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = "retrieval_real_library"
NEWS_ARTICLES = 500  # the same 500 as bench/retrieval.py's news set
NEWS_QUERY_EVERY = 8  # every 8th article gives one query: 63 queries
_STAMP = re.compile(r"^\[\s*[\d\-]+\s+[\d：:]+\s*\]\s*[，,]?\s*(正文[:：])?")
_NOT_TITLE = re.compile(r"(文件$|〔\d{4}〕\d+号|^\s*$)")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]")


def title_lines(lines: list[str]) -> list[str]:
    """The lines that make the title: the first non-empty one that is not a banner or a document number,
    and the next when the title breaks after 暨/和/及 or the next is a ——subtitle."""
    body = [ln.strip() for ln in lines if ln.strip()]
    for i, line in enumerate(body[:6]):
        if _NOT_TITLE.search(line):
            continue
        nxt = body[i + 1] if i + 1 < len(body) else ""
        if line.endswith(("暨", "和", "及", "与")) or nxt.startswith(("——", "--")):
            return [line, nxt]
        return [line]
    return []


def middle_sentences(text: str, n: int, low: int = 15, high: int = 60) -> list[str]:
    """``n`` sentences of ``low``–``high`` characters spread over the middle half of the text."""
    found = [m.group(0).strip() for m in _SENTENCE.finditer(text)]
    found = [s for s in found if low <= len(s) <= high]
    if len(found) < n + 2:
        return []
    start, stop = len(found) // 4, 3 * len(found) // 4
    span = found[start:stop] or found
    return [span[(2 * i + 1) * len(span) // (2 * n)] for i in range(n)]


def news_articles(news: Path, n: int) -> list[str]:
    """The first ``n`` articles longer than 80 characters (the order bench/common.py reads them in)."""
    articles: list[str] = []
    for path in sorted(news.glob("*.txt")):
        articles.extend(line for line in path.read_text(encoding="utf-8").split("\n") if len(line) > 80)
    return articles[:n]


def news_file(text: str) -> str:
    """An article as bench/common.py writes it: the date stamp on its own first line."""
    m = _STAMP.match(text)
    body = text[m.end() :] if m else text
    head = m.group(0).strip(" ，,正文:：") if m else ""
    return f"{head}\n{body}\n"


def build(corpus: Path, out: Path) -> dict[str, int]:
    library = out.parent / LIBRARY
    shutil.rmtree(library, ignore_errors=True)
    library.mkdir(parents=True)
    texts: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    reports = sorted(corpus.glob("*.txt")) + sorted((corpus / "gov").glob("*.txt"))
    for i, path in enumerate(reports):
        name = f"report_{i:02d}.txt"  # a neutral name: the file name must not give the title away
        lines = path.read_text(encoding="utf-8").split("\n")
        head = title_lines(lines)
        if not head:
            continue
        title = "".join(head) if len(head) > 1 else head[0]
        kept = [ln for ln in lines if ln.strip() not in head and ln.strip() != title]
        text = "\n".join(kept)
        rows.append({"query": title, "doc": name, "group": "title", "from": "report"})
        for sentence in middle_sentences(text, 3):
            text = text.replace(sentence, "")
            rows.append({"query": sentence, "doc": name, "group": "sentence", "from": "report"})
        texts[name] = text
    for i, article in enumerate(news_articles(corpus / "news", NEWS_ARTICLES)):
        name = f"news_{i:05d}.txt"
        text = news_file(article)
        if i % NEWS_QUERY_EVERY == 0:
            picked = middle_sentences(text, 1)
            if picked:
                text = text.replace(picked[0], "")
                rows.append({"query": picked[0], "doc": name, "group": "sentence", "from": "news"})
        texts[name] = text
    for name, text in texts.items():
        (library / name).write_text(text, encoding="utf-8")
    samples = next(p for p in (ROOT / "workbench" / "samples", ROOT / "samples") if p.is_dir())  # repo, wheel
    for path in sorted(samples.iterdir()):
        if path.is_file():
            shutil.copyfile(path, library / path.name)
            texts[path.name] = path.read_bytes().decode("utf-8", "ignore")
    everything = "\n".join(texts.values())
    # A title may stay in a report as part of a longer line (a province's name with 政府工作报告): that is
    # content, not the title line. A removed sentence must be gone everywhere.
    kept_rows = [r for r in rows if r["group"] == "title" or r["query"] not in everything]
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept_rows), encoding="utf-8")
    counts = {"documents": len(texts), "queries": len(kept_rows), "dropped": len(rows) - len(kept_rows)}
    for group in ("title", "sentence"):
        counts[group] = sum(r["group"] == group for r in kept_rows)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "retrieval_real.jsonl")
    args = parser.parse_args()
    if not (args.corpus / "gov").is_dir() or not (args.corpus / "news").is_dir():
        print(f"skipped: {args.corpus} (with gov/ and news/) is absent", file=sys.stderr)
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(json.dumps(build(args.corpus, args.out), ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
