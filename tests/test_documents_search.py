"""Document mode: one hit per document, chunk scores aggregated, the title as a field of its own; the realistic
retrieval set's builder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import Workbench
from workbench.cli import main
from workbench.search.fusion import aggregate, fuse_documents
from workbench.search.hybrid import DocumentFusion

ROOT = Path(__file__).resolve().parent.parent
BUILDER = ROOT / "evals" / "build_retrieval_real.py"
DOC_OF = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "c1": "C"}


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("max", ["B", "A", "C"]),  # B's one chunk is first
        ("top2", ["A", "B", "C"]),  # A's second chunk lifts it above B
        ("rrf", ["A", "B", "C"]),
    ],
)
def test_aggregate(how: str, expected: list[str]) -> None:
    assert aggregate(["b1", "a1", "a2", "c1", "a3"], DOC_OF, how) == expected


def test_aggregate_sums_what_it_counts() -> None:
    ranking = ["b1", "a1", "a2", "a3"]  # with k=0: B = 1; A = 1/2 + 1/3 (+ 1/4)
    assert aggregate(ranking, DOC_OF, "max", k=0) == ["B", "A"]
    assert aggregate(ranking, DOC_OF, "top2", k=0) == ["B", "A"]  # 0.83 < 1
    assert aggregate(ranking, DOC_OF, "rrf", k=0) == ["A", "B"]  # 1.08 > 1


def test_fuse_documents_weights_the_title_ranking() -> None:
    chunks = [(["b1", "a1"], 1.0)]
    assert max(fuse_documents(chunks, [], DOC_OF, "max").items(), key=lambda kv: kv[1])[0] == "B"
    with_title = fuse_documents(chunks, [(["A"], 2.0)], DOC_OF, "max")
    assert max(with_title, key=with_title.__getitem__) == "A"
    assert set(with_title) == {"A", "B"}


def test_document_mode_one_hit_per_document(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    chunk_hits = wb.search("党员 教师 学校", k=10)
    assert len({h.doc_id for h in chunk_hits}) < len(chunk_hits)  # chunk mode repeats documents
    hits = wb.search("党员 教师 学校", k=10, documents=True)
    assert len(hits) == len({h.doc_id for h in hits}) == 6
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert all(h.matches is not None and h.matches >= 1 for h in hits[:3])
    top = wb.search("幼儿园 保教 游戏化 体检", k=2, documents=True)
    assert len(top) == 2 and top[0].title == "松林镇中心幼儿园2023年保教工作总结"
    assert "幼儿" in top[0].text or "保教" in top[0].text  # its best chunk comes with it
    assert all(h.type == "工作要点" for h in wb.search("教师", k=5, type="工作要点", documents=True))


def test_precedent_candidates_are_documents(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    found = wb.precedent_candidates("工作总结", "全年召开支部党员大会6次，设立党员示范岗9个。", k=6)
    assert len(found) == len({d.doc_id for d in found}) == 6
    assert found[0].title == "青禾县实验小学2023年度党建工作总结"


def test_title_field_has_its_own_weight(wb: Workbench, tmp_path: Path) -> None:
    body = "本学期各年级按计划开展教学工作，教研组每周集体备课一次。"
    (tmp_path / "a.txt").write_text(
        f"校园读书节活动总结\n{body}\n期末组织学生参加综合实践。", encoding="utf-8"
    )
    lure = "校园读书节活动总结，" * 4
    for i in range(3):  # other documents say the title's words in their text, and more often
        (tmp_path / f"b{i}.txt").write_text(f"第{i}期工作简报\n{lure}第{i}次筹备。\n{body}", encoding="utf-8")
    wb.ingest([tmp_path])
    searcher = wb.searcher

    def first(title_weight: float) -> str:
        searcher.fusion = DocumentFusion(keyword_weight=1.0, whole_weight=0.0, title_weight=title_weight)
        return wb.search("校园读书节活动总结", k=4, documents=True)[0].title

    assert first(0.0) != "校园读书节活动总结"
    assert first(3.0) == "校园读书节活动总结"
    assert searcher.doc_indexes()[1].search("校园读书节", 5, cover=0.5) != []


def test_cli_documents_json(tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "lib")
    assert main(["ingest", str(samples), "--store", store, "--json"]) == 0
    capsys.readouterr()
    assert main(["search", "党员 教师", "-k", "4", "--documents", "--store", store, "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 4 and len({h["doc_id"] for h in hits}) == 4
    fields = {"doc_id", "title", "path", "heading", "text", "score", "type", "date"}
    assert set(hits[0]) == fields | {"matches"}
    assert main(["search", "党员 教师", "-k", "4", "--store", store, "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)[0]) == fields  # chunk mode's fields unchanged


def _run_builder(corpus: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUILDER), "--corpus", str(corpus), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_builder_skips_without_the_corpus(tmp_path: Path) -> None:
    done = _run_builder(tmp_path / "absent", tmp_path / "set.jsonl")
    assert done.returncode == 0 and "skipped" in done.stderr
    assert not (tmp_path / "set.jsonl").exists()


def test_builder_takes_titles_and_sentences_out(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "gov").mkdir(parents=True)
    (corpus / "news").mkdir()

    def middle(tag: str) -> str:
        return "".join(f"{tag}第{i}项工作按期推进并通过了验收评估。" for i in range(12))

    (corpus / "001.txt").write_text(
        f"某某局文件\n\n某区教育局2021年工作要点\n{middle('区')}", encoding="utf-8"
    )
    gov = f"2026年某省政府工作报告\n下载\n2026年某省政府工作报告\n{middle('省')}"
    (corpus / "gov" / "2026_某省.txt").write_text(gov, encoding="utf-8")
    news = [f"[ 2023-01-0{i} 10:00:00 ] ，正文：{middle(f'新闻{i}')}" for i in range(1, 4)]
    (corpus / "news" / "n.txt").write_text("\n".join(news), encoding="utf-8")
    out = tmp_path / "set.jsonl"
    assert _run_builder(corpus, out).returncode == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    titles = {r["query"]: r["doc"] for r in rows if r["group"] == "title"}
    assert titles == {"某区教育局2021年工作要点": "report_00.txt", "2026年某省政府工作报告": "report_01.txt"}
    library = tmp_path / "retrieval_real_library"
    texts = {p.name: p.read_bytes().decode("utf-8", "ignore") for p in library.iterdir()}
    assert "工作要点" not in texts["report_00.txt"] and "政府工作报告" not in texts["report_01.txt"]
    sentences = [r for r in rows if r["group"] == "sentence"]
    assert {r["from"] for r in sentences} == {"report", "news"}
    assert all(not any(r["query"] in t for t in texts.values()) for r in sentences)
    assert {"青禾县实验小学2023年度党建工作总结.txt", "news_00000.txt"} <= set(texts)


def test_paraphrase_set_names_samples() -> None:
    rows = [
        json.loads(x) for x in (ROOT / "evals" / "retrieval_paraphrase.jsonl").read_text("utf-8").splitlines()
    ]
    samples = {p.name for p in (ROOT / "workbench" / "samples").iterdir()}
    assert len(rows) >= 30 and {r["doc"] for r in rows} == samples


def test_eval_runs_the_paraphrases_and_skips_an_unbuildable_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[retrieval_paraphrase]\ndataset = "{ROOT / "evals" / "retrieval_paraphrase.jsonl"}"\n'
        'corpus = "package:samples"\ndocuments = true\nembedder = "fake"\n'
        '[retrieval_real]\ndataset = "store:retrieval_real.jsonl"\nbuild = "no_such_builder.py"\n'
        'corpus = "store:retrieval_real_library"\ncache = "store:retrieval_real_home"\ndocuments = true\n'
        '[thresholds]\n"retrieval_paraphrase.hit@1" = 0.5\n"retrieval_real.title_hit@1" = 0.75\n',
        encoding="utf-8",
    )
    assert main(["eval", str(config), "--json", "--store", str(tmp_path / "lib")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["retrieval_paraphrase"]["mode"] == "documents" and result["retrieval_paraphrase"]["n"] == 36
    assert "skipped" in result["retrieval_real"]
    assert result["thresholds"]["retrieval_real.title_hit@1"]["skipped"] is True


def test_run_retrieval_reports_groups_and_keeps_its_library(tmp_path: Path) -> None:
    from workbench import Settings
    from workbench.data import samples_dir
    from workbench.evaluation.run import run_retrieval

    rows = [
        {
            "query": "青禾县实验小学2023年度党建工作总结",
            "doc": "青禾县实验小学2023年度党建工作总结.txt",
            "group": "title",
        },
        {
            "query": "幼儿体检率和贫血患病率",
            "doc": "松林镇中心幼儿园2023年保教工作总结.docx",
            "group": "sentence",
        },
    ]
    settings = Settings(home=tmp_path / "unused", embedder="fake")
    cache = tmp_path / "cache"
    first = run_retrieval(rows, samples_dir(), "fake", settings, documents=True, home=cache)
    assert first["title_hit@1"] == 1.0 and first["sentence_n"] == 1 and first["n"] == 2
    assert (cache / "manifest.json").is_file()  # kept: the next run embeds nothing
    assert run_retrieval(rows, samples_dir(), "fake", settings, documents=True, home=cache) == first
