"""The UI's pure pieces: highlighting, tables, and the login helpers (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# -- the outline table and the fact ledger (起草) ----------------------------------------------------------

OUTLINE_FACTS = "2024年召开党员大会5次。\n党员学习积极性不高的问题仍然存在。\n下一步拟开展读书活动。"


def _outline(facts: str = OUTLINE_FACTS) -> dict[str, Any]:
    from workbench.write.trusted import make_outline

    return make_outline("工作总结", facts, "", "", []).to_json()


def _edit(rows: list[list[Any]], change: str) -> list[list[Any]]:
    """The table after one of the edits a user makes (rows as the page's gr.Dataframe gives them)."""
    if change == "move f3 into the first row, delete the third":
        return [[1, "一、主要工作和成效", "逐项写做法和成效", "f1,f3"], rows[1]]
    if change == "move f3 into the first row, blank the third":
        return [[1, "一、主要工作和成效", "逐项写做法和成效", "f1， F3"], rows[1], [None, "", "", ""]]
    if change == "reorder":  # 顺序 3 → first; 1 and 2 after it, in their order
        return [[2, *rows[0][1:]], [3, *rows[1][1:]], ["1", *rows[2][1:]]]
    if change == "delete the first row":
        return rows[1:]
    if change == "rename and add a row":  # a new row without a number stays where it is
        return [
            [1, "一、主要做法", *rows[0][2:]],
            [2, rows[1][1], rows[1][2], ""],
            rows[2],
            ["", "四、其他", "", "f2"],
        ]
    raise AssertionError(change)


@pytest.mark.parametrize(
    ("change", "sections", "unassigned", "placeholders"),
    [
        (
            "unchanged",
            [("一、主要工作和成效", ["f1"]), ("二、存在的问题", ["f2"]), ("三、下一步打算", ["f3"])],
            [],
            [(2, "【待补：落款日期】")],
        ),
        (
            "move f3 into the first row, delete the third",
            [("一、主要工作和成效", ["f1", "f3"]), ("二、存在的问题", ["f2"])],
            [],
            [(1, "【待补：落款日期】")],
        ),
        (
            "move f3 into the first row, blank the third",
            [("一、主要工作和成效", ["f1", "f3"]), ("二、存在的问题", ["f2"])],
            [],
            [(1, "【待补：落款日期】")],
        ),
        (
            "reorder",
            [("三、下一步打算", ["f3"]), ("一、主要工作和成效", ["f1"]), ("二、存在的问题", ["f2"])],
            [],
            [(0, "【待补：落款日期】")],
        ),
        (
            "delete the first row",
            [("二、存在的问题", ["f2"]), ("三、下一步打算", ["f3"])],
            ["f1"],
            [(1, "【待补：落款日期】")],
        ),
        (
            "rename and add a row",
            [
                ("一、主要做法", ["f1"]),
                ("二、存在的问题", []),
                ("三、下一步打算", ["f3"]),
                ("四、其他", ["f2"]),
            ],
            [],
            [(2, "【待补：落款日期】")],
        ),
    ],
)
def test_outline_table_edits_become_the_outline(
    change: str,
    sections: list[tuple[str, list[str]]],
    unassigned: list[str],
    placeholders: list[tuple[int, str]],
) -> None:
    import json

    from workbench import Workbench
    from workbench.ui.outline_view import OUTLINE_HEADERS, outline_from_rows, outline_rows

    made = _outline()
    rows = outline_rows(made)
    assert rows == [
        [1, "一、主要工作和成效", "逐项写做法和成效", "f1"],
        [2, "二、存在的问题", "如实写问题和不足", "f2"],
        [3, "三、下一步打算", "写下一步的安排", "f3"],
    ]
    assert len(OUTLINE_HEADERS) == len(rows[0])
    edited = outline_from_rows(made, rows if change == "unchanged" else _edit(rows, change))
    data = json.loads(edited)
    assert [(s["heading"], s["facts"]) for s in data["sections"]] == sections
    assert all(s["intent"] for s in data["sections"])  # a new row is told what to write: its heading
    assert data["unassigned"] == unassigned
    assert [(p["section"], p["text"]) for p in data["placeholders"]] == placeholders
    assert data["ledger"] == made["ledger"] and data["type"] == "工作总结"  # only the sections change
    plan = Workbench.load_outline(edited)  # what the draft is written from
    assert [s.heading for s in plan.sections] == [h for h, _ in sections]


def test_a_deleted_section_takes_its_own_placeholder_with_it() -> None:
    import json

    from workbench.ui.outline_view import outline_from_rows, outline_rows

    made = _outline("2024年召开党员大会5次。")  # nothing for 二 and 三: each is a placeholder
    assert [p["text"] for p in made["placeholders"]] == [
        "【待补：存在的问题】",
        "【待补：下一步打算】",
        "【待补：落款日期】",
    ]
    rows = outline_rows(made)
    data = json.loads(outline_from_rows(made, rows[:2]))
    assert [(p["section"], p["text"]) for p in data["placeholders"]] == [
        (1, "【待补：存在的问题】"),
        (1, "【待补：落款日期】"),  # the type needs it whatever the sections: it moves to the last one left
    ]


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        (
            [
                [1, "一、主要工作和成效", "", "f1,f3"],
                [2, "二、存在的问题", "", "f2"],
                [3, "三、下一步打算", "", "f3"],
            ],
            "f3 被放进了不止一个部分",
        ),
        ([[1, "一、主要工作和成效", "", "f1,f9"]], "f9 不在事实清单中"),
        ([[1, "", "", ""], [None, None, None, None]], "没有任何部分"),
    ],
)
def test_an_invalid_table_edit_is_a_clear_error(rows: list[list[Any]], error: str) -> None:
    from workbench import InputError, Workbench
    from workbench.ui.outline_view import outline_from_rows, outline_ledger_html

    edited = outline_from_rows(_outline(), rows)
    with pytest.raises(InputError, match=error):
        Workbench.load_outline(edited)
    assert "⚠ 请改正" in outline_ledger_html(edited, "请改正")


def test_outline_ledger_says_where_each_fact_goes() -> None:
    from workbench.ui.outline_view import outline_from_rows, outline_ledger_html, outline_rows

    made = _outline(OUTLINE_FACTS + "\n<b>标签</b>")
    html = outline_ledger_html(outline_from_rows(made, outline_rows(made)[:2]))
    assert "<code>f1</code> 2024年召开党员大会5次。 <small>→ 一、主要工作和成效" in html
    assert "<code>f3</code> 下一步拟开展读书活动。 <small>→ 未安排" in html  # its row was deleted
    assert "&lt;b&gt;标签" in html and "<b>标签" not in html
    assert "【待补：落款日期】（二、存在的问题）" in html


DRAFTED: dict[str, Any] = {
    "text": "一、主要工作和成效\n2024年召开党员大会5次。下一步拟开展读书活动。",
    "ledger": [
        {"id": "f1", "text": "2024年召开党员大会5次。", "role": "fact", "used_in": [[10, 24]]},
        {"id": "f2", "text": "党员学习积极性<不高>。", "role": "fact", "used_in": []},
        {"id": "unit", "text": "单位：某支部", "role": "unit", "used_in": []},
    ],
    "repairs": [
        {
            "sentence": "全年召开党员大会6次。",
            "reason": "数字“6次”在原文中找不到",
            "action": "written_from_fact",
            "replacement": "2024年召开党员大会5次。",
        },
        {"sentence": "成效显著。", "reason": "无出处", "action": "dropped", "replacement": ""},
        {"sentence": "成效显著。", "reason": "无出处", "action": "dropped", "replacement": ""},
    ],
    "placeholders": ["【待补：落款日期】"],
}


def test_ledger_after_a_draft() -> None:
    from workbench.ui.outline_view import ledger_html

    html = ledger_html(DRAFTED)
    assert "2 条事实，1 条已写入，<b>1 条未写入</b>" in html
    used = html[html.index('data-fact="f1"') : html.index('data-fact="f2"')]
    assert "#15803d" in used and "写入：“2024年召开党员大会5次。”" in used  # quoted from text[start:end]
    unused = html[html.index('data-fact="f2"') : html.index('data-fact="unit"')]
    assert "#6b7280" in unused and "未写入" in unused and "&lt;不高&gt;" in unused
    assert "<th>原句</th><th>原因</th><th>处理</th><th>替换为</th>" in html
    assert "<td>按事实改写</td><td>2024年召开党员大会5次。</td>" in html
    assert html.count("<td>成效显著。</td>") == 1 and "<td>删去</td><td>—</td>" in html  # repeats once
    assert "【待补：落款日期】" in html
    full = ledger_html({**DRAFTED, "ledger": DRAFTED["ledger"][:1], "repairs": [], "placeholders": []})
    assert "全部已写入" in full and "核对时的修改" not in full and "待补" not in full
