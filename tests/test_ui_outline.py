"""The 起草 page's pure pieces: the outline table a user edits and the fact ledger beside it (no browser)."""

from __future__ import annotations

from typing import Any

import pytest

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
