"""Condensing by structure against the fake LLM: budget allocation, sections, figures, verification, title,
cancel, and a 1 MB input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from workbench import FakeEmbedder, Settings, Workbench
from workbench.backends.llm import FakeLLM
from workbench.check import CheckReport
from workbench.cli import main
from workbench.text.tokens import char_count, count_tokens
from workbench.write.condense import condense, document_title, select
from workbench.write.condense_parts import (
    EVEN_CHARS,
    allocate,
    coverage,
    figures_kept,
    must_keep,
    top_level,
    trace,
    units_of,
)

CN = "一二三四五六七八九十"


def report(sections: int = 4, lines: int = 12, title: str = "某县教育局2025年工作总结") -> str:
    """A report with ``sections`` 一、 sections, each with its own figures."""
    out = [title, "2025年，全县教育系统围绕质量提升开展工作，各项任务顺利完成。"]
    for i in range(sections):
        out.append(f"{CN[i]}、第{i + 1}方面工作")
        out += [
            f"第{i + 1}方面完成任务{j * 7 + i}项，覆盖学校{j + 3}所，相关做法在全市推广。"
            for j in range(1, lines)
        ]
    return "\n".join(out)


@pytest.fixture
def fake() -> FakeLLM:
    return FakeLLM()


@pytest.fixture
def wb(tmp_path: Path, fake: FakeLLM) -> Workbench:
    settings = Settings(home=tmp_path / "lib", embedder="fake", llm="fake")
    return Workbench(settings, embedder=FakeEmbedder(), llm=fake)


def _writes(fake: FakeLLM) -> list[str]:
    """The user prompts of the writing calls (not sentence repairs, not the judge)."""
    return [p[-1]["content"] for p in fake.prompts if "<原文摘录>" in p[-1]["content"]]


@pytest.mark.parametrize(
    ("sizes", "chars", "expected"),
    [
        ([(1000, 0.0), (1000, 0.0)], 400, [200, 200]),  # equal parts, no figures: by length
        ([(1000, 0.0), (3000, 0.0)], 400, [130, 270]),  # 60 each, the other 280 by length
        ([(1000, 30.0), (1000, 0.0)], 400, [270, 130]),  # half by length, half by figures
        ([(1000, 10.0), (3000, 10.0)], 800, [315, 485]),
        ([(100, 0.0)] * 5, 100, [20, 20, 20, 20, 20]),  # too short for 60 each: an even floor
        ([(5000, 1.0)], 300, [300]),
        ([], 300, []),
    ],
)
def test_allocate(sizes: list[tuple[int, float]], chars: int, expected: list[int]) -> None:
    out = allocate(sizes, chars)
    assert out == expected
    assert sum(out) == (chars if sizes else 0)


def test_top_level_sections_and_a_list_inside_one() -> None:
    text = report(3) + "\n附件\n一、第一件实事。\n二、第二件实事。\n三、第三件实事。\n四、第四件实事。"
    parts = top_level(text)
    assert [p.heading for p in parts] == ["一、第1方面工作", "二、第2方面工作", "三、第3方面工作"]
    assert parts[0].start == 0 and parts[0].text.startswith("某县教育局")  # the short opening goes first
    assert "四、第四件实事。" in parts[-1].text  # the appendix list restarting at 一、 stays in 三、
    assert "".join(p.text for p in parts).replace("\n", "") == text.replace("\n", "")


def test_a_report_without_headings_is_split_evenly(wb: Workbench, fake: FakeLLM) -> None:
    body = [
        f"全县第{i}批项目完成投资{i * 3}亿元，带动就业{i * 100}人，群众满意度明显提升。"
        for i in range(1, 500)
    ]
    text = "\n".join(body)
    parts = top_level(text)
    assert len(parts) == round(len(text) / EVEN_CHARS) >= 3
    sizes = [len(p.text) for p in parts]
    assert max(sizes) - min(sizes) < 200  # even, cut at line ends
    assert all(p.text == text[p.start : p.start + len(p.text)] for p in parts)
    summary = wb.condense(text, 600)
    prompts = _writes(fake)
    assert len(prompts) == len(parts) and f"第1部分（共{len(parts)}部分）" in prompts[0]
    assert coverage(summary.summary, parts) == 1.0


def test_every_section_is_covered_in_proportion(wb: Workbench, fake: FakeLLM) -> None:
    text = report(4)
    summary = wb.condense(text, 400)
    assert 0.85 * 400 <= summary.chars <= 1.15 * 400
    parts = top_level(text)
    assert coverage(summary.summary, parts) == 1.0
    assert [s["heading"] for s in summary.sections] == [p.heading for p in parts]
    assert sum(s["budget"] for s in summary.sections) == 400
    prompts = _writes(fake)
    assert len(prompts) == 4
    # The shared head of each prompt (title, outline, length) is the same: the model's KV cache keeps it.
    heads = {p[: p.index("这次只写")] for p in prompts}
    assert len(heads) == 1 and "《某县教育局2025年工作总结》" in prompts[0]
    assert all(count_tokens(p) < count_tokens(text) / 2 for p in prompts)
    assert summary.check is not None and summary.check.score == 1.0


def test_too_many_sections_for_the_length_are_merged() -> None:
    text = report(10, lines=4)
    assert len(units_of(text, 800)) == 10
    merged = units_of(text, 200)
    assert len(merged) == 200 // 60
    assert "".join(p.text for p in merged).replace("\n", "") == text.replace("\n", "")


def test_figures_are_favoured() -> None:
    text = "\n".join(
        [
            "一、经济运行",
            "全省经济运行总体平稳，发展质量稳步提升，经济结构持续优化。",
            "全省地区生产总值增长5.3%，一般公共预算收入达到3200亿元。",
            "全省经济运行稳中有进，发展动能持续增强，经济结构持续优化。",
            "二、社会事业",
            "社会事业全面进步，群众获得感持续增强，社会大局和谐稳定。",
            "新增城镇就业65万人，城乡居民收入增长6%。",
        ]
    )
    picked = [s.text for s in select(text, 60, count_tokens) if not s.heading]
    assert picked and all("%" in s or "万人" in s for s in picked)
    keep = must_keep(select(text, 400, count_tokens), 3)
    assert keep[0].endswith(("5.3%", "3200亿元", "65万人", "6%")) and len(keep) == 3


def test_an_invented_figure_is_repaired_or_dropped(wb: Workbench, fake: FakeLLM) -> None:
    text = report(2)
    # The first section's reply invents 999项; its one rewrite invents 888项 again: the sentence goes.
    fake.queue(
        "第1方面完成任务999项，覆盖学校4所。第1方面完成任务7项，覆盖学校4所，相关做法在全市推广。",
        "第1方面完成任务888项。",  # the rewrite; the second section then echoes its excerpt
    )
    summary = wb.condense(text, 200)
    assert "999" not in summary.summary and "888" not in summary.summary
    assert [(r.action, "999项" in r.sentence) for r in summary.repairs] == [("dropped", True)]
    assert figures_kept(summary.summary, text)[0] >= 2
    assert summary.check is not None and not summary.check.unsupported_spans


def test_praise_without_a_figure_or_the_sources_words_is_left_out(wb: Workbench, fake: FakeLLM) -> None:
    praise = "这些成就为全县教育高质量发展奠定了坚实基础，作出了重要贡献。"
    fake.queue(praise + "第1方面完成任务7项，覆盖学校4所，相关做法在全市推广。")
    summary = wb.condense(report(2), 200)
    assert praise not in summary.summary and "完成任务7项" in summary.summary


def test_a_repaired_sentence_replaces_the_invented_one(wb: Workbench, fake: FakeLLM) -> None:
    text = report(1, lines=20)
    fake.queue("第1方面完成任务999项，覆盖学校4所。", "第1方面完成任务7项，覆盖学校4所。")
    summary = wb.condense(text, 60)
    assert "999" not in summary.summary and "完成任务7项" in summary.summary
    assert summary.repairs[0].action == "regenerated"


def test_the_title_is_the_reports_own_never_a_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_LLM", "fake")
    path = tmp_path / "2026_某省_政府工作报告.txt"
    path.write_text(report(3, title="2026年某省政府工作报告"), encoding="utf-8")
    assert main(["condense", str(path), "--chars", "200", "--store", str(tmp_path / "lib"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["title"] == "2026年某省政府工作报告"
    assert "2026_某省" not in out["summary"]
    assert document_title(report(2), "2026_某省_政府工作报告") == "某县教育局2025年工作总结"
    assert document_title(report(2), "总结.docx") == "某县教育局2025年工作总结"
    untitled = "2025年，全县教育系统围绕质量提升开展了大量工作，各项任务顺利完成。\n" + report(2)
    assert document_title(untitled) == ""


def test_no_title_no_file_name_in_the_prompt(wb: Workbench, fake: FakeLLM) -> None:
    text = "全县教育系统围绕质量提升开展了大量工作，各项任务顺利完成，群众满意。\n" + report(2)
    summary = wb.condense(text, 200, title="report_2025.txt")
    assert summary.title == ""
    assert all("report_2025" not in p and p.startswith("这份报告") for p in _writes(fake))


def test_streaming_and_cancel(wb: Workbench, fake: FakeLLM) -> None:
    text = report(4)
    pieces: list[str] = []
    summary = wb.condense(text, 400, on_token=pieces.append)
    if not summary.topped_up:  # what streams is what the summary keeps
        assert "".join(pieces).replace("\n", "") == summary.summary.replace("\n", "")
    fake.prompts.clear()
    seen: list[str] = []
    stopped = wb.condense(text, 400, on_token=seen.append, cancelled=lambda: bool(seen))
    assert stopped.stopped == "cancelled" and len(_writes(fake)) == 1
    assert stopped.summary and stopped.chars < 200
    assert not stopped.topped_up  # a stopped summary is not filled up with source sentences


def test_trace_finds_the_section_of_each_sentence() -> None:
    text = report(3)
    parts = top_level(text)
    summary = "第2方面完成任务8项，覆盖学校4所。\n这是一句与原文毫无关系的话语而已。\n#### 三、第3方面工作"
    assert trace(summary, parts) == [1, None, None]  # a heading line covers nothing


def test_a_1mb_input_works() -> None:
    section = "\n".join(
        f"第{j}项工作完成投资{j * 3}亿元，惠及群众{j * 10}万人，经验在全省推广。" for j in range(1, 40)
    )
    text = "\n".join(f"{CN[i % 10]}、第{i}部分\n{section}" for i in range(600))
    text = ("某省2025年工作报告\n" + text)[: 2**20]
    assert len(text.encode()) >= 1_000_000
    fake = FakeLLM()
    pieces: list[str] = []
    start = time.perf_counter()
    result = condense(
        fake, text, 800, "", 900, lambda s, src: CheckReport(1.0, [], []), on_token=pieces.append
    )
    assert time.perf_counter() - start < 60
    prompts = [p[-1]["content"] for p in fake.prompts]
    assert 2 <= len(prompts) <= 800 // 60 and all(count_tokens(p) < 4000 for p in prompts)
    assert 0.85 * 800 <= result.chars <= 1.15 * 800 and pieces
    assert result.title == "某省2025年工作报告"
    assert char_count("".join(pieces)) > 0
