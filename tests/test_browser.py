"""End to end in a real browser: Debian's Chromium driven by Playwright against `workbench serve`."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    from workbench.ui.jobs import spawn

    return spawn(tmp, _port(), {"WORKBENCH_EMBEDDER": "fake", "WORKBENCH_LLM": "fake", **(extra_env or {})})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = _start(tmp_path_factory.mktemp("ui-store"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (test.sh installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    page.get_by_role("tab", name="起草").wait_for()
    yield page
    context.close()


def _shot(page: Any, name: str) -> None:
    if os.environ.get("WORKBENCH_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_library_upload_filter_search(page: Any, tmp_path: Path) -> None:
    report = tmp_path / "东湖小学2024年读书节活动简报.txt"
    report.write_text(
        "东湖小学2024年读书节活动简报\n4月23日，东湖小学举办读书节开幕式，全校1200名学生参加。",
        encoding="utf-8",
    )
    page.get_by_role("tab", name="范文库").click()
    page.locator("#library-files input[type=file]").set_input_files(str(report))
    page.locator("#library-ingest").click()
    page.get_by_text("新增 1").wait_for(timeout=30_000)
    page.get_by_text("东湖小学2024年读书节活动简报").first.wait_for()
    page.locator("#library-query textarea").fill("读书节 开幕式")
    page.locator("#library-search").click()
    page.locator("#library-hits").get_by_text("东湖小学2024年读书节活动简报").first.wait_for(timeout=15_000)
    _shot(page, "library")


def test_check_highlights_an_unsupported_figure(page: Any) -> None:
    page.get_by_role("tab", name="核查").click()
    page.locator("#check-text textarea").fill("学校党支部召开党员大会6次。\n撰写心得体会45篇。")
    page.locator("#check-sources textarea").fill("学校党支部全年召开支部党员大会6次，撰写心得体会41篇。")
    page.locator("#check-go").click()
    page.locator("#check-marked").get_by_text("数字“45篇”在原文中找不到").wait_for(timeout=15_000)
    assert "核查得分 0.50" in page.locator("#check-table").inner_text()
    _shot(page, "check")


def test_check_legend_and_filter_by_kind(page: Any) -> None:
    page.get_by_role("tab", name="核查").click()
    page.locator("#check-sources textarea").fill(
        "学校已建成智慧教室6间，拟新建智慧教室10间。各年级可以结合实际开展研学。"
    )
    page.locator("#check-text textarea").fill("学校已建成智慧教室10间。各年级必须开展研学。")
    page.locator("#check-go").click()
    legend = page.locator("#check-legend")
    legend.get_by_text("要求强度不符").wait_for(timeout=15_000)
    assert "状态不符 1" in legend.inner_text() and "要求强度不符 1" in legend.inner_text()  # 拟新建 → 已建成
    page.locator("#check-marked").get_by_text("状态不符：").first.wait_for()
    table = page.locator("#check-table")
    assert "学校已建成智慧教室10间" in table.inner_text() and "各年级必须开展研学" in table.inner_text()
    kinds = page.locator("#check-kinds")
    assert kinds.get_by_label("状态不符").is_checked() and kinds.get_by_label("要求强度不符").is_checked()
    kinds.get_by_label("状态不符").uncheck()
    table.get_by_text("显示 1 / 2 条").wait_for(timeout=15_000)
    assert "学校已建成智慧教室10间" not in table.inner_text()
    assert "各年级必须开展研学" in table.inner_text()
    kinds.get_by_label("状态不符").check()
    table.get_by_text("学校已建成智慧教室10间").wait_for(timeout=15_000)
    _shot(page, "check-kinds")


def test_draft_streams_and_downloads_a_docx(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="起草").click()
    page.locator("#draft-facts textarea").fill(
        "2024年5月17日，支部组织28名党员参观城东烈士纪念馆。\n书记王立新带领党员重温入党誓词。"
    )
    page.get_by_label("文稿类型").click()
    page.get_by_role("option", name="活动简报").click()
    page.get_by_role("button", name="查找范文").click()
    page.locator("#draft-hits").get_by_text("✓ 将参考").first.wait_for(timeout=15_000)
    page.locator("#draft-hits").get_by_text("明川区教育局机关党支部主题党日活动简报").first.wait_for()
    page.locator("#draft-go").click()
    page.wait_for_function(
        "document.querySelector('#draft-text textarea').value.includes('28名党员')", timeout=30_000
    )
    page.locator("#draft-marked").get_by_text("28名党员").first.wait_for(timeout=15_000)
    page.locator("#draft-export").click()
    link = page.locator("#draft-file a").first
    link.wait_for(timeout=15_000)
    with page.expect_download() as info:
        link.click()
    target = tmp_path / "draft.docx"
    info.value.save_as(str(target))
    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs if p.text.strip()]
    shown = page.locator("#draft-text textarea").input_value()
    assert paragraphs[0] == shown.splitlines()[0]  # the file holds the draft as shown, its title first
    assert any(p.startswith("2024年5月17日") and "28名党员" in p for p in paragraphs)
    _shot(page, "draft")


def _marked_precedents(page: Any) -> list[str]:
    """Click 查找范文 and read the titles #draft-hits marks as the ones the draft will use, in order."""
    hits = page.locator("#draft-hits")
    page.get_by_role("button", name="查找范文").click()
    hits.get_by_text("按本期事实找到的范文").wait_for(timeout=15_000)
    return [
        li.locator("strong").inner_text() for li in hits.locator("li").all() if "✓ 将参考" in li.inner_text()
    ]


def _drafted_precedents(page: Any) -> list[str]:
    """Click 生成初稿 and read the titles it lists under 本次参考的范文 (each followed by its `doc_id`)."""
    hits = page.locator("#draft-hits")
    page.locator("#draft-go").click()
    hits.get_by_text("本次参考的范文").wait_for(timeout=30_000)  # shown once the draft is done
    return [
        li.inner_text().removesuffix(li.locator("code").inner_text()).strip()
        for li in hits.locator("li").all()
    ]


@pytest.mark.parametrize("kind", ["工作总结", "其他"])  # 其他: no sample of its own, drafts use other types
def test_find_lists_the_precedents_the_draft_uses(page: Any, kind: str) -> None:
    page.get_by_role("tab", name="起草").click()
    page.get_by_label("文稿类型").click()
    page.get_by_role("option", name=kind, exact=True).click()
    page.get_by_role("button", name="查找范文").click()
    page.locator("#draft-hits").get_by_text("请先填写本期事实").wait_for(timeout=15_000)
    page.locator("#draft-facts textarea").fill(
        "2024年全校开展主题党日活动12次，32名党员参加志愿服务。\n书记王立新讲专题党课4次。"
    )
    marked = _marked_precedents(page)
    assert marked
    assert _drafted_precedents(page) == marked
    if kind == "工作总结":  # drop the first: 查找范文 and the draft both leave it out
        page.locator("#draft-drop").get_by_label(marked[0], exact=True).check()
        again = _marked_precedents(page)
        assert again and marked[0] not in again
        assert _drafted_precedents(page) == again


def _outline_cell(page: Any, row: int, col: int) -> Any:
    return page.locator(f"#draft-outline [data-testid=cell-{row}-{col}]")


def _outline_table(page: Any) -> list[tuple[str, str]]:
    """(标题, 事实编号) of each row of the outline table, as shown."""
    rows = page.locator("#draft-outline .virtual-body [role=row]").count()
    return [
        tuple(_outline_cell(page, r, c).locator("span").first.inner_text().strip() for c in (1, 3))
        for r in range(rows)
    ]


def _edit_cell(page: Any, row: int, col: int, value: str) -> None:
    cell = _outline_cell(page, row, col)
    cell.dblclick()
    cell.locator("textarea").fill(value)
    cell.locator("textarea").press("Enter")


def test_outline_edits_steer_the_draft(page: Any) -> None:
    page.get_by_role("tab", name="起草").click()
    page.get_by_label("文稿类型").click()
    page.get_by_role("option", name="工作总结", exact=True).click()
    page.locator("#draft-facts textarea").fill(
        "2024年召开党员大会5次。\n党员学习积极性不高的问题仍然存在。\n下一步拟开展读书活动。"
    )
    page.locator("#draft-outline-go").click()
    ledger = page.locator("#draft-ledger")
    ledger.get_by_text("事实清单").wait_for(timeout=15_000)
    assert _outline_table(page) == [
        ("一、主要工作和成效", "f1"),
        ("二、存在的问题", "f2"),
        ("三、下一步打算", "f3"),
    ]
    assert "下一步拟开展读书活动。 → 三、下一步打算" in ledger.inner_text()
    _edit_cell(page, 0, 3, "f1,f3")  # f3 now in two rows: the ledger says so, and nothing is drafted
    ledger.get_by_text("f3 被放进了不止一个部分").wait_for(timeout=15_000)
    page.locator("#draft-go").click()
    toast = page.locator("[data-testid=toast-body]")
    toast.get_by_text("被放进了不止一个部分").wait_for(timeout=15_000)
    assert page.locator("#draft-text textarea").input_value() == ""
    toast.locator("[data-testid=toast-close]").click()
    third = _outline_cell(page, 2, 1)
    third.click()
    third.get_by_role("button", name="Open cell menu").click()
    page.get_by_role("menuitem", name="Delete row").click()
    ledger.locator("li", has_text="下一步拟开展读书活动。 → 一、主要工作和成效").wait_for(timeout=15_000)
    assert _outline_table(page) == [("一、主要工作和成效", "f1,f3"), ("二、存在的问题", "f2")]
    assert "⚠" not in ledger.inner_text()
    page.locator("#draft-go").click()
    ledger.get_by_text("事实台账").wait_for(timeout=30_000)
    text = page.locator("#draft-text textarea").input_value()
    assert "三、下一步打算" not in text
    assert text.index("一、主要工作和成效") < text.index("读书活动") < text.index("二、存在的问题")
    assert "3 条事实，全部已写入" in ledger.inner_text()
    assert "写入：“下一步拟开展读书活动。”" in ledger.locator("li", has_text="f3").inner_text()
    _shot(page, "draft-outline")
    page.locator("#draft-facts textarea").fill("2024年召开党员大会6次。")  # the outline no longer fits
    page.locator("#draft-go").click()
    toast.get_by_text("提纲生成之后").wait_for(timeout=15_000)
    assert "读书活动" in page.locator("#draft-text textarea").input_value()  # the draft is left as it was


def test_condense_and_evals_pages(page: Any) -> None:
    page.get_by_role("tab", name="摘要").click()
    page.get_by_label("或选择库中文档").click()
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="生成摘要").click()
    page.get_by_text("共 ").first.wait_for(timeout=30_000)
    page.get_by_text("每句摘要的原文出处").click()
    assert "原文出处" in page.locator("#condense-sources").inner_text()
    _shot(page, "condense")
    page.get_by_role("tab", name="评测").click()
    page.get_by_role("button", name="运行快速评测").click()
    page.get_by_text("评测报告 ✓ 通过").wait_for(timeout=60_000)
    _shot(page, "evals")


def test_errors_are_chinese_messages(page: Any) -> None:
    page.get_by_role("tab", name="核查").click()
    page.locator("#check-text textarea").fill("撰写心得体会45篇。")
    page.locator("#check-go").click()
    page.get_by_text("没有提供原文").first.wait_for(timeout=15_000)
    assert "Traceback" not in page.content()


def test_login_when_users_are_configured(browser: Any, tmp_path: Path) -> None:
    proc, url = _start(tmp_path / "store", {"WORKBENCH_AUTH": "zhang:s3cret"})
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.get_by_label("username").fill("zhang")
        page.get_by_label("password").fill("wrong")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Incorrect").first.wait_for(timeout=15_000)
        page.get_by_label("username").fill("zhang")  # the form is reset after a failed attempt
        page.get_by_label("password").fill("s3cret")
        page.get_by_role("button", name="Login").click()
        page.get_by_role("tab", name="起草").wait_for(timeout=30_000)
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# A fictional 工作要点 and its year's facts: item 1 and 3 done, 2 short of its target, 4 and 5 without a fact,
# and a fact about something else.
PLAN_TEXT = """柳岸镇中心学校2025年工作要点

一、提升办学条件
1. 改造学生食堂，新增就餐座位不少于300个。
2. 建设录播教室，年内建成2间。
二、加强队伍建设
1. 组织教师参加市级培训，人均培训不少于48学时。
2. 开展师徒结对，结对40对以上。
3. 开展教师读书沙龙活动。

柳岸镇中心学校
2025年1月8日
"""
PLAN_FACTS = """学生食堂改造完成，新增就餐座位320个。
建成录播教室1间。
教师人均参加市级培训52学时。
镇文化站举办迎新春书法展。"""


def _status_of(page: Any, item: str) -> str:
    return str(page.locator(f"#plan-table tr.plan-item[data-item='{item}']").get_attribute("data-status"))


def test_plan_check_colours_moves_a_fact_and_drafts(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="对照要点").click()
    page.get_by_label("从范文库选择工作要点").click()  # the library's 工作要点 are offered; one picked shows
    page.get_by_role("option", name="云溪县教育局2024年工作要点", exact=False).click()
    page.wait_for_function(
        "document.querySelector('#plan-text textarea').value.includes('推进集团化办学')", timeout=15_000
    )
    assert page.locator("#plan-unit textarea").input_value() == "云溪县教育局"  # the plan's own unit and year
    assert page.locator("#plan-year textarea").input_value() == "2024"
    page.locator("#plan-unit textarea").fill("柳岸镇中心学校")
    page.locator("#plan-year textarea").fill("2025")
    page.locator("#plan-text textarea").fill(PLAN_TEXT)
    page.locator("#plan-facts textarea").fill(PLAN_FACTS)
    page.locator("#plan-go").click()
    counts = page.locator("#plan-counts")
    counts.get_by_text("共 5 项").wait_for(timeout=30_000)
    assert "已落实 2" in counts.inner_text() and "部分落实 1" in counts.inner_text()
    assert "未见落实情况 2" in counts.inner_text()
    statuses = [_status_of(page, i) for i in "12345"]
    assert statuses == ["已落实", "部分落实", "已落实", "未见落实情况", "未见落实情况"]
    colour = "e => getComputedStyle(e).backgroundColor"
    badges = {
        s: page.locator(f"#plan-table tr.plan-item[data-item='{i}'] .plan-status").evaluate(colour)
        for s, i in (("done", "1"), ("partly", "2"), ("unseen", "4"))
    }
    assert badges == {"done": "rgb(21, 128, 61)", "partly": "rgb(180, 83, 9)", "unseen": "rgb(185, 28, 28)"}
    table = page.locator("#plan-table")
    assert "一、提升办学条件" in table.inner_text() and "二、加强队伍建设" in table.inner_text()
    row2 = table.locator("tr.plan-item[data-item='2']").inner_text()
    assert "建成录播教室1间" in row2 and "出处：事实材料" in row2 and "实际 1间，未达到" in row2
    assert "镇文化站举办迎新春书法展" in page.locator("#plan-unmatched").inner_text()
    _shot(page, "plan")

    cell = page.locator("#plan-mapping [data-testid=cell-3-3]")  # fact 4 (the 书法展) → item 5
    cell.dblclick()
    cell.locator("textarea").fill("5")
    cell.locator("textarea").press("Enter")
    page.locator("#plan-rerun").click()
    counts.get_by_text("已落实 3").wait_for(timeout=30_000)
    assert _status_of(page, "5") == "已落实" and _status_of(page, "4") == "未见落实情况"
    assert "书法展" in page.locator("#plan-table tr.plan-item[data-item='5']").inner_text()

    page.locator("#plan-draft").click()
    unseen = page.locator("#plan-unseen")
    unseen.get_by_text("开展师徒结对").wait_for(timeout=30_000)
    assert "以下 1 项没有写入总结正文" in unseen.inner_text()
    text = page.locator("#plan-summary textarea").input_value()
    body, _, tail = text.partition("【未见落实情况】")
    assert text.startswith("柳岸镇中心学校2025年")  # the title from the unit and year fields
    assert "新增就餐座位320个" in body and "师徒结对" not in body and "第4项" in tail

    page.locator("#plan-export-table").click()
    link = page.locator("#plan-file a").first
    link.wait_for(timeout=15_000)
    with page.expect_download() as info:
        link.click()
    target = tmp_path / "table.docx"
    info.value.save_as(str(target))
    table_rows = docx.Document(str(target)).tables[0].rows[1:]
    assert [row.cells[3].text for row in table_rows] == [
        "已落实",
        "部分落实",
        "已落实",
        "未见落实情况",
        "已落实",
    ]
    page.locator("#plan-facts textarea").fill("建成录播教室2间。")  # the check shown no longer fits the facts
    page.locator("#plan-draft").click()
    page.locator("[data-testid=toast-body]").get_by_text("对照之后").wait_for(timeout=15_000)
    assert "新增就餐座位320个" in page.locator("#plan-summary textarea").input_value()  # left as it was
