"""Build a faithfulness set from real text the checker has never seen, with an independent generator.

    python evals/build_realtext.py [--corpus DIR] [--out FILE] [--seed N]

Why: ``evals/faithfulness.jsonl`` is built from the project's own sample reports, and its false claims are made
with the checker's own extractors (``workbench.check.*``), so the checker scores almost perfectly on it. This set
takes its sentences from the real corpus in ``../shared/corpus`` (five education-sector reports at the top,
eight provincial 政府工作报告 in ``gov/``) and makes its false claims with rules written here, from jieba's POS
tagger, plain regexes and hand-written tables. Nothing from ``workbench`` is imported.

What: each sentence of 15–120 characters that carries a concrete fact (a digit, a Chinese count with a measure
word, a date, a jieba proper noun) can yield items ``{"source", "claim", "label", "kind", "doc", "note"}``.
``source`` is a window of the document (the sentence, two before and two after, exactly as they appear), so the
claim has to be located; ``doc`` is the file's path under the corpus; ``note`` says what was changed.

- supported: ``original`` (the sentence; a closing ；is written 。) and ``paraphrase`` (a leading
  为/围绕/在……下 clause dropped, a near synonym from a small table, a count of 1–99 in Chinese numerals,
  a parenthetical removed; ``note`` names which).
- unsupported, each with exactly one change: ``person`` / ``place`` / ``org`` (a name swapped for one of the
  same tag from another document, absent from the window), ``number`` (a figure changed, format kept),
  ``date`` (a year, month or day moved, or a plan period: 十四五 → 十五五), ``direction`` (增长5% → 下降5%,
  突破 → 不足, and some verbs: 加快 → 放缓, 加强 → 削弱), ``state`` (a plan made a done fact or the reverse:
  计划建成 → 已建成, 建成了 → 计划建成; in a 政府工作报告 a bare 建成… in the review of the past year becomes
  计划建成…, and in the plan for the new year 已建成…), ``modality`` (要/应 ↔ 可以, 鼓励/支持 → 必须, or
  要求 before a named actor, 必须/务必 → 可以, 确保 ↔ 力争, 严禁 → 允许).

Names count only where they are names: a person is a jieba ``nr`` with a common surname next to a title or role
(书记, 老师, 同志 …) or in a list with one; a place is a province or city from the tables or written with
省/市/县/区/镇; an organisation is swapped only within a class (central bodies, universities, bureaus …).
At most 3 items per sentence; about as many supported items as unsupported ones.

The corpus text must never enter the repository, so the output goes by default to
``bench/results/realtext_claims.jsonl`` (git-ignored). Where the corpus is absent the script says so and exits 0.
Reproducible: sorted inputs and ``random.Random(seed)``; a summary of counts goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING or __package__:  # imported as evals.build_realtext (mypy, python -m)
    from .realtext.build import SEED, build
else:  # run by path, as workbench eval runs it: the script's own folder is sys.path[0]
    from realtext.build import SEED, build

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "realtext_claims.jsonl")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.is_dir():
        print(f"skipped: {corpus} is absent")
        return 0
    started = time.perf_counter()
    items = build(corpus, args.seed)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts = Counter((item["label"], item["kind"]) for item in items)
    labels = Counter(item["label"] for item in items)
    detail = ", ".join(f"{label}/{kind} {n}" for (label, kind), n in sorted(counts.items()))
    print(
        f"{len(items)} items ({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))}) → {out} "
        f"in {time.perf_counter() - started:.1f}s: {detail}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
