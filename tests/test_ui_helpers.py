"""The UI's pure pieces: highlighting, tables, and the login helpers (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench import ConfigError
from workbench.check import RuleChecker
from workbench.ui import authenticator, load_users
from workbench.ui.format import check_summary, highlighted, hits_markdown, marked

SOURCE = "学校党支部全年召开支部党员大会6次，撰写心得体会41篇。"


def test_highlighted_marks_exactly_the_unsupported_fact() -> None:
    text = "学校党支部召开党员大会6次。撰写心得体会45篇。"
    report = RuleChecker([SOURCE]).check(text)
    pieces = highlighted(text, report)
    assert "".join(p for p, _ in pieces) == text
    assert [(p, label is not None) for p, label in pieces if label] == [("45篇", True)]
    props = marked(text, report)
    assert set(props["color_map"]) == {label for _, label in pieces if label}
    assert "核查得分 0.50" in check_summary(report) and "| 无出处 |" in check_summary(report)
    assert highlighted(text, None) == [(text, None)]


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
