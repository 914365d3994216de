"""The 对照要点 page's pure pieces: the two-column table, the counts, the mapping table and back (no browser)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from workbench import FakeLLM, InputError, Workbench
from workbench.backends.embed import FakeEmbedder
from workbench.config import Settings
from workbench.plan.compare import DONE, PARTLY, UNSEEN
from workbench.plan.report import PlanCheck
from workbench.ui.pages.plan import plan_choices, year_of
from workbench.ui.plan_view import (
    STATUS_COLOURS,
    counts_html,
    mapping_from_rows,
    mapping_rows,
    plan_table_html,
    unmatched_html,
    unseen_html,
)

PLAN = """柳岸镇中心学校2025年工作要点

一、提升办学条件
1. 改造学生食堂，新增就餐座位不少于300个。
2. 建设录播教室，年内建成2间。
（1）一间用于公开课录制；
（2）一间用于教研。
二、加强队伍建设
1. 组织教师参加市级培训，人均培训不少于48学时。
2. 开展师徒结对，结对40对以上。
3. 开展教师读书沙龙活动。
"""
FACTS = """学生食堂改造完成，新增就餐座位320个。
建成录播教室1间。
教师人均参加市级培训52学时。
镇文化站举办迎新春书法展。"""


@pytest.fixture(scope="module")
def wb() -> Workbench:
    return Workbench(embedder=FakeEmbedder(), llm=FakeLLM())


@pytest.fixture(scope="module")
def check(wb: Workbench) -> PlanCheck:
    return wb.plan_check(PLAN, FACTS)


class _Rows(HTMLParser):
    """(data-item, data-status) of each item row and the text of each section row, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self.sections: list[str] = []
        self._in_section = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("class") == "plan-item":
            self.rows.append((a.get("data-item") or "", a.get("data-status") or ""))
        self._in_section = (tag == "tr" and a.get("class") == "plan-section") or self._in_section

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._in_section = False

    def handle_data(self, data: str) -> None:
        if self._in_section and data.strip():
            self.sections.append(data.strip())


def test_table_puts_items_under_their_sections_with_status_facts_and_figures(check: PlanCheck) -> None:
    html = plan_table_html(check)
    parsed = _Rows()
    parsed.feed(html)
    assert parsed.sections == ["一、提升办学条件", "二、加强队伍建设"]
    assert parsed.rows == [("1", DONE), ("2", PARTLY), ("3", DONE), ("4", UNSEEN), ("5", UNSEEN)]
    assert "<b>2.</b> 建设录播教室，年内建成2间。" in html
    assert 'padding-left:1.5em;color:#374151">（1）一间用于公开课录制；' in html  # a deeper entry, indented
    assert "建成录播教室1间。 <small>（出处：事实材料）</small>" in html
    assert "目标：年内建成2间（年内）" in html and "实际 1间，未达到 ✗" in html
    assert "实际 320个 ✓" in html and "没有找到对应的事实" in html
    assert f"background:{STATUS_COLOURS[UNSEEN]}" in html and f"background:{STATUS_COLOURS[PARTLY]}" in html


def test_counts_and_unmatched_facts(check: PlanCheck) -> None:
    counts = counts_html(check)
    assert "共 5 项" in counts
    assert f"{DONE} 2</span>" in counts and f"{PARTLY} 1</span>" in counts and f"{UNSEEN} 2</span>" in counts
    assert "⚠" not in counts
    assert "镇文化站举办迎新春书法展。" in unmatched_html(check) and "（1 条）" in unmatched_html(check)


def test_facts_that_match_nothing_are_said_plainly(wb: Workbench) -> None:
    nothing = wb.plan_check(PLAN, "镇文化站举办迎新春书法展。\n村委会换届选举顺利完成。")
    assert "⚠ 所有要点都未见落实情况" in counts_html(nothing)
    assert "（2 条）" in unmatched_html(nothing)
    assert "每条事实都对应到了" in unmatched_html(wb.plan_check(PLAN, "建成录播教室1间。"))


def test_mapping_rows_round_trip_and_move_a_fact(wb: Workbench, check: PlanCheck) -> None:
    rows = mapping_rows(check)
    assert [r[0] for r in rows] == ["1", "2", "3", "4"]
    assert [r[3] for r in rows] == ["1", "2", "3", ""]
    assert rows[1][4] == "第2项 建设录播教室，年内建成2间" and rows[3][4] == "（不属于任何要点）"
    assert mapping_from_rows(rows, 4) == {"1": "1", "2": "2", "3": "3", "4": None}
    rows[3][3] = "第5项"
    rows[0][3] = " "
    moved = wb.plan_check(PLAN, FACTS, mapping=mapping_from_rows(rows, 4))
    assert moved.item("5").status == DONE and moved.item("1").status == UNSEEN
    assert [f.text for f in moved.unmatched_facts] == ["学生食堂改造完成，新增就餐座位320个。"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("5", "5"),
        ("第5项", "5"),
        ("5项", "5"),
        (5.0, "5"),
        ("", None),
        ("无", None),
        (None, None),
        ("x", "x"),
    ],
)
def test_mapping_cells(cell: object, expected: str | None) -> None:
    assert mapping_from_rows([["1", "事实", "出处", cell]], 1) == {"1": expected}


def test_rows_that_name_no_fact_are_ignored() -> None:
    assert mapping_from_rows([["", "新行", "", "3"], ["9", "多出的", "", "3"], ["x", "", "", "1"]], 4) == {}


def test_an_item_id_the_plan_lacks_is_a_clear_error(wb: Workbench) -> None:
    with pytest.raises(InputError, match="不存在的要点“9”"):
        wb.plan_check(PLAN, FACTS, mapping=mapping_from_rows([["2", "", "", "9"]], 4))


def test_unseen_list() -> None:
    html = unseen_html([{"id": "4", "section": "二", "title": "开展师徒结对"}])
    assert "以下 1 项没有写入总结正文" in html and "<li>第4项　开展师徒结对（第二部分）</li>" in html
    assert "每项工作要点都有" in unseen_html([])


@pytest.mark.parametrize(
    ("text", "year"), [("", None), ("  ", None), ("2024", 2024), ("2024年", 2024), ("2024年度", 2024)]
)
def test_year_field(text: str, year: int | None) -> None:
    assert year_of(text) == year


def test_a_year_that_is_no_year_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="不是年份"):
        year_of("去年")


def test_plan_choices_offer_only_plans(settings: Settings, samples: Path) -> None:
    library = Workbench(settings, embedder=FakeEmbedder())
    assert plan_choices(library) == []  # an empty library: nothing to offer, no error
    library.ingest([samples], progress=False)
    assert len(library.list_documents()) > 1
    assert [label for label, _ in plan_choices(library)] == ["云溪县教育局2024年工作要点（2024-02-20）"]
