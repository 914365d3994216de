"""The UI's pure pieces: highlighting, tables, and the login helpers (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench import ConfigError
from workbench.check import CheckReport, ClaimResult, Finding, RuleChecker
from workbench.check.report import Verdict
from workbench.ui import authenticator, load_users
from workbench.ui.format import (
    KINDS,
    check_summary,
    highlighted,
    hits_markdown,
    kind_choices,
    kind_counts,
    legend,
    marked,
)

SOURCE = "学校党支部全年召开支部党员大会6次，撰写心得体会41篇。"


def test_highlighted_marks_exactly_the_unsupported_fact() -> None:
    text = "学校党支部召开党员大会6次。撰写心得体会45篇。"
    report = RuleChecker([SOURCE]).check(text)
    pieces = highlighted(text, report)
    assert "".join(p for p, _ in pieces) == text
    assert [(p, label is not None) for p, label in pieces if label] == [("45篇", True)]
    props = marked(text, report)
    assert set(props["color_map"]) == {label for _, label in pieces if label}
    assert [label for _, label in pieces if label] == ["数字不符：数字“45篇”在原文中找不到"]
    assert props["color_map"] == {"数字不符：数字“45篇”在原文中找不到": KINDS["number"].colour}
    assert "核查得分 0.50" in check_summary(report) and "| 无出处 | 数字不符 |" in check_summary(report)
    assert highlighted(text, None) == [(text, None)]


TEXT = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def _claim(at: int, verdict: Verdict, *findings: tuple[str, str]) -> ClaimResult:
    """A two-character claim of TEXT at ``at`` with unsupported findings (check, reason) spanning it."""
    text = TEXT[at : at + 2]
    found = [Finding(check, "unsupported", text, at, at + 2, reason) for check, reason in findings]
    return ClaimResult(text, at, at + 2, verdict, "理由", [], ["最接近的原文"], found)


REPORT = CheckReport(
    0.2,
    [
        _claim(0, "unsupported", ("number", "数字“甲乙”在原文中找不到")),  # 甲乙: 数字不符
        _claim(2, "unsupported", ("state", "“丙丁”在原文中是“拟丙丁”；状态不符：原文是“拟”")),  # 丙丁: state
        _claim(4, "unsupported", ("modality", "要求强度不符：原文是“可以”"), ("date", "日期“戊己”不符")),
        _claim(6, "unsupported"),  # 庚辛: no single fact to blame, the whole claim (无出处)
        _claim(8, "unverifiable"),  # 壬癸: 待核实
        _claim(10, "supported"),  # 子丑: never listed
    ],
    ["原文数据不一致：30人+28人 不等于“共60人”"],
)


def _rows(summary: str) -> set[str]:
    """The claims a check_summary table lists (its 陈述 column)."""
    return {
        line.split(" | ")[2] for line in summary.splitlines() if line.startswith("| ") and "---" not in line
    } - {"陈述"}


@pytest.mark.parametrize(
    ("kinds", "shown"),
    [
        (None, {"甲乙", "丙丁", "戊己", "庚辛", "壬癸"}),
        (
            ["number", "state", "modality", "date", "claim", "unverifiable"],
            {"甲乙", "丙丁", "戊己", "庚辛", "壬癸"},
        ),
        (["number"], {"甲乙"}),  # a figure in another state is listed as 状态不符, not 数字不符
        (["state"], {"丙丁"}),
        (["modality"], {"戊己"}),
        (["date"], {"戊己"}),  # a claim with two kinds shows under either
        (["claim", "unverifiable"], {"庚辛", "壬癸"}),
        (["judge"], set()),
        ([], set()),
    ],
)
def test_check_summary_filters_by_kind(kinds: list[str] | None, shown: set[str]) -> None:
    summary = check_summary(REPORT, kinds)
    assert _rows(summary) == shown
    assert summary.startswith(
        "⚠ 原文本身的数据不一致：30人+28人 不等于“共60人”"
    )  # the sources' own problem first
    assert "核查得分 0.20" in summary
    assert ("按类型筛选" in summary) == (len(shown) < 5)
    if not shown:
        assert "所选类型下没有需要核对的陈述" in summary


def test_kinds_legend_and_colours() -> None:
    assert kind_counts(REPORT) == {
        "number": 1,
        "date": 1,
        "state": 1,
        "modality": 1,
        "claim": 1,
        "unverifiable": 1,
    }
    assert [label for label, _ in kind_choices(REPORT)] == [
        "数字不符",
        "日期不符",
        "状态不符",
        "要求强度不符",
        "无出处",
        "待核实",
    ]
    html = legend(REPORT)
    for kind in kind_counts(REPORT):
        assert f"background:{KINDS[kind].colour}" in html and KINDS[kind].label in html
    assert "子丑" not in html and legend(None) == "" and kind_choices(None) == []
    props = marked(TEXT, REPORT)
    labelled = {piece: label for piece, label in props["value"] if label}
    assert labelled == {
        "甲乙": "数字不符：数字“甲乙”在原文中找不到",
        "丙丁": "状态不符：“丙丁”在原文中是“拟丙丁”；状态不符：原文是“拟”",
        "戊己": "要求强度不符：原文是“可以”",  # the reason's own "要求强度不符：" is not said twice
        "庚辛": "无出处：理由",
    }
    assert {props["color_map"][label] for label in labelled.values()} == {
        KINDS[k].colour for k in ("number", "state", "modality", "claim")
    }
    assert len({k.colour for k in KINDS.values()}) == len(KINDS)  # each kind its own colour
    assert len({k.label for k in KINDS.values()}) == len(KINDS)
    assert not check_summary(CheckReport(1.0, [])).startswith("⚠")


def test_tables_escape_markup() -> None:
    from workbench.types import Hit

    md = hits_markdown([Hit("d1", "<b>标题</b>", "p", "一、概况", "正文|含竖线", 0.5, "工作总结", "2024")])
    assert "&lt;b&gt;" in md and "正文｜含竖线" in md
    assert hits_markdown([]) == "没有找到相关内容。"


def test_login_from_env_and_file(tmp_path: Path) -> None:
    from argon2 import PasswordHasher

    users_file = tmp_path / "users"
    users_file.write_text(f"li:{PasswordHasher().hash('pw2')}\n", encoding="utf-8")
    users = load_users("zhang:pw1", users_file)
    assert all(h.startswith("$argon2") for h in users.values())  # never a plain password in memory
    check = authenticator(users)
    assert check("zhang", "pw1") and check("li", "pw2")
    assert not check("zhang", "pw2") and not check("nobody", "pw1")


@pytest.mark.parametrize("env", ["zhang", "zhang:", ":pw"])
def test_bad_auth_settings(env: str) -> None:
    with pytest.raises(ConfigError):
        load_users(env)


def test_bad_users_file(tmp_path: Path) -> None:
    bad = tmp_path / "users"
    bad.write_text("li:plaintext\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_users("", bad)


def test_search_terms_are_marked() -> None:
    from workbench.ui.format import mark_terms

    marked_text = mark_terms("党员参加主题党日活动<b>", "主题党日")
    assert (
        marked_text == "党员参加<mark>主题</mark><mark>党日</mark>活动&lt;b&gt;"
    )  # markup in the text is escaped
    assert mark_terms("无关内容", "主题党日") == "无关内容"


def test_streaming_handlers_show_core_errors_as_messages() -> None:
    import inspect

    import gradio as gr

    from workbench import InputError
    from workbench.ui.jobs import friendly_stream

    @friendly_stream
    def handler(x: str) -> Iterator[str]:
        yield f"正在处理{x}"
        raise InputError("没有提供本期事实", "请写下本期的事实。")

    assert inspect.isgeneratorfunction(handler)  # Gradio streams only from generator functions
    stream = handler("甲")
    assert next(stream) == "正在处理甲"
    with pytest.raises(gr.Error, match="没有提供本期事实。请写下本期的事实。"):
        next(stream)


def test_candidates_mark_the_ones_the_draft_will_use() -> None:
    from workbench.types import DocumentInfo
    from workbench.ui.format import candidates_markdown

    docs = [
        DocumentInfo(f"d{i}", f"<i>标题{i}</i>", "p", "工作总结", "某校" if i == 1 else "", "2023-12", 3)
        for i in (1, 2, 3)
    ]
    md = candidates_markdown(docs, 2)
    rows = [line for line in md.splitlines() if line[:1].isdigit()]
    assert [row.startswith(f"{i}. ✓ 将参考") for i, row in enumerate(rows, 1)] == [True, True, False]
    assert "&lt;i&gt;标题1" in md and "【工作总结】2023-12 · 某校 · `d1`" in md
    assert "✓" not in candidates_markdown(docs, 0)
    assert "没有可参考的范文" in candidates_markdown([], 2)
