"""Extended checks on the real reports in ../shared/corpus; skipped where it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import Workbench
from workbench.library.documents import load_document

pytestmark = pytest.mark.corpus


def _doc(corpus: Path, prefix: str) -> str:
    return load_document(next(corpus.glob(f"{prefix}_*.txt")), 10**7).text


def test_real_defects_are_repaired(corpus: Path) -> None:
    news = _doc(corpus, "003")
    assert "推荐新闻" not in news  # the pasted link list is cut
    lines = [ln for ln in news.split("\n") if len(ln) >= 12]
    assert len(lines) == len(set(lines))  # verbatim repeats are gone
    assert "[bookmark" not in _doc(corpus, "004")
    points = _doc(corpus, "002")
    assert not any(ln.endswith("、") for ln in points.split("\n"))  # page-broken sentences are joined


def test_real_reports_get_types_and_structure(corpus: Path, wb: Workbench) -> None:
    report = wb.ingest([corpus / name for name in sorted(p.name for p in corpus.glob("*.txt"))])
    assert report.added == 5 and not report.errors
    docs = {Path(d.path).name[:3]: d for d in wb.list_documents()}
    assert docs["002"].type == "工作要点" and docs["002"].date.startswith("2020")
    assert docs["004"].type == "工作汇报"
    assert docs["003"].type == "新闻稿" and docs["003"].date == "2021-06-30"
    headings = {h.heading for h in wb.search("达标创星", k=5)}
    assert any(h.startswith("二、创建工作成效") for h in headings)
