"""The trusted drafting path with a fake model that invents: ledger, outline, verified sections, repairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DRAFT_FIELDS
from workbench import FakeEmbedder, InputError, Settings, Workbench
from workbench.backends.llm import FakeLLM
from workbench.check import RuleChecker
from workbench.write import ledger, outline
from workbench.write.compose import FACT_CHECKS, _groups, clean

FACTS = (
    "单位：松林镇中心小学党支部\n时间：2024年6月28日下午\n活动：组织全体党员教师开展“七一”主题党日活动，共32名党员参加\n"
    "内容：重温入党誓词；支部书记王秀兰讲授党课《坚守教育初心》\n成效：党员教师撰写心得体会32篇"
)
# What a weak model does: a year never given, a precedent's unit and masks, prompt markup, invented people.
INVENTING = (
    '<活动简报 编号="1" 标题="x">第×期</活动简报>\n教育局机关党支部于2023年6月28日组织45名党员开展活动。',
    "支部书记李明讲授党课，全体党员重温入党誓词。",
    "党员教师撰写心得体会32篇，活动取得良好效果。",
)


@pytest.fixture
def fake() -> FakeLLM:
    return FakeLLM()


@pytest.fixture
def lib(settings: Settings, samples: Path, fake: FakeLLM) -> Workbench:
    wb = Workbench(settings.model_copy(update={"judge": False}), embedder=FakeEmbedder(), llm=fake)
    wb.ingest([samples], progress=False)
    return wb


def invented(text: str, facts: str) -> list[str]:
    report = RuleChecker([facts]).check(text)
    return [
        f.text
        for c in report.claims
        for f in c.findings
        if f.status == "unsupported" and f.check in FACT_CHECKS
    ]


def test_an_inventing_model_leaves_no_invented_fact(lib: Workbench, fake: FakeLLM) -> None:
    fake.queue(*INVENTING)
    draft = lib.draft("活动简报", FACTS)
    assert invented(draft.text, FACTS) == []
    for leak in ("×", "<活动简报", "教育局机关党支部", "2023年", "45名", "李明"):
        assert leak not in draft.text
    assert draft.text.startswith("松林镇中心小学党支部")  # the user's unit, never a precedent's
    actions = {r["action"] for r in draft.repairs}
    assert actions & {"regenerated", "dropped"} and all(r["reason"] for r in draft.repairs)
    assert draft.to_json().keys() >= DRAFT_FIELDS | {"outline", "ledger", "repairs", "placeholders"}


SUMMARY_FACTS = (
    "组建学生社团38个，机器人社团获市赛二等奖2项。\n承担市级课题4项。\n2025年计划建成智慧教室10间。"
)
# A true figure put on another subject (4 is the 课题's), and a plan written as done: figures all in the facts.
MISBOUND = "体育社团获市赛二等奖4项。2025年已建成智慧教室10间。组建学生社团38个，机器人社团获市赛二等奖2项。"


def test_a_figure_on_another_subject_or_a_plan_made_done_is_not_kept(lib: Workbench, fake: FakeLLM) -> None:
    fake.queue(MISBOUND, MISBOUND, MISBOUND, MISBOUND)  # the rewrites repeat the mistakes too
    draft = lib.draft("工作总结", SUMMARY_FACTS, "梧桐区实验中学", "2024年")
    assert "体育社团获市赛二等奖4项" not in draft.text
    assert "已建成智慧教室10间" not in draft.text
    assert "2025年计划建成智慧教室10间" in draft.text  # the fact itself, from the user's words
    assert draft.text.count("机器人社团获市赛二等奖2项") == 1
    reasons = " ".join(r["reason"] for r in draft.repairs)
    assert "与原文对不上" in reasons and "状态不符" in reasons


def test_every_fact_is_carried_or_listed(lib: Workbench, fake: FakeLLM) -> None:
    fake.queue(*INVENTING)
    draft = lib.draft("活动简报", FACTS)
    facts = [e for e in draft.ledger if e["role"] == "fact"]
    assert facts and all(e["used_in"] for e in facts) and draft.unused_facts == []
    for e in facts:
        for start, end in e["used_in"]:
            assert 0 <= start < end <= len(draft.text)


def test_missing_elements_become_placeholders(lib: Workbench) -> None:
    draft = lib.draft("活动简报", "开展学雷锋志愿服务活动\n组织团员到社区打扫卫生\n团委书记李华带队")
    assert {"【待补：活动时间】", "【待补：活动地点】", "【待补：参加人数】"} <= set(draft.placeholders)
    assert all(p in draft.text for p in draft.placeholders)
    summary = lib.draft("工作总结", "2024年，学校党支部召开党员大会5次。")
    assert "【待补：存在的问题】" in summary.text and "【待补：落款日期】" in summary.text
    # A place given in a sentence is given: no placeholder asks for it again.
    held = lib.draft("活动简报", "3月12日开展植树活动。\n活动在幼儿园种植园进行，共40人参加。")
    assert "【待补：活动地点】" not in held.placeholders and "【待补：活动时间】" not in held.placeholders


def test_the_outline_is_data_the_user_edits(lib: Workbench) -> None:
    plan = lib.outline(
        "工作总结", "2024年召开党员大会5次。\n党员学习积极性不高的问题仍然存在。\n下一步拟开展读书活动。"
    )
    data = plan.to_json()
    assert [s["heading"] for s in data["sections"]] == [
        "一、主要工作和成效",
        "二、存在的问题",
        "三、下一步打算",
    ]
    assert [s["facts"] for s in data["sections"]] == [["f1"], ["f2"], ["f3"]]
    # Move f3 into the first section, delete the last one, rename the first.
    data["sections"][0]["facts"].append("f3")
    data["sections"][0]["heading"] = "一、重点工作"
    del data["sections"][2]
    edited = outline.from_json(json.dumps(data, ensure_ascii=False))
    draft = lib.draft("工作总结", "", outline=edited)
    assert "一、重点工作" in draft.text and "三、下一步打算" not in draft.text
    first = draft.text.split("二、存在的问题")[0]
    assert "读书活动" in first


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: "{not json", "无法读取"),
        (lambda d: json.dumps({**d, "sections": [{"heading": "x", "facts": ["f99"]}]}), "f99"),
        (
            lambda d: json.dumps(
                {**d, "sections": [{"heading": "a", "facts": ["f1"]}, {"heading": "b", "facts": ["f1"]}]}
            ),
            "不止一个",
        ),
        (lambda d: json.dumps({**d, "sections": []}), "没有任何部分"),
    ],
)
def test_a_bad_outline_is_refused(edit: object, message: str) -> None:
    plan = outline.build("工作总结", ledger.build("召开党员大会5次。"))
    with pytest.raises(InputError, match=message):
        outline.from_json(edit(plan.to_json()))  # type: ignore[operator]


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ("  \n ", "没有提供本期事实"),
        ("\n".join(f"第{i}条事实。" for i in range(200)), "事实太多"),
        ("加强师德师风建设\n提升课堂教学质量", "没有任何时间、数字"),
    ],
)
def test_bad_facts(facts: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        ledger.build(facts)


def test_ledger_atoms_and_roles() -> None:
    entries = ledger.build(FACTS, period="2024年6月")
    assert entries[0].role == "unit" and entries[-1].role == "period"
    kinds = {a.kind for e in entries for a in e.atoms}
    assert {"date", "number", "person", "title"} <= kinds


def test_clean_strips_markup_masks_and_repeated_headings() -> None:
    assert clean('<活动简报 编号="1">\n第×期\n一、主要工作\n召开党员大会5次。') == "召开党员大会5次。"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        # A list inside a section becomes prose: no numbers, no lead-in labels.
        (
            "1. **质量提升**：中考812人参加。\n2. 教研：公开课136节。",
            "中考812人参加。公开课136节。",
        ),
        ("- 读书节：评选书香班级10个。", "评选书香班级10个。"),
        # A short list item that says something is kept (it used to be dropped as a heading).
        ("（1）书记说：“要学先烈。”", "书记说：“要学先烈。”"),
        # A repeated heading with nothing after it is dropped; a decimal is no list number; a plain colon stays.
        ("一、主要工作和成效：\n1.5万元用于慰问。", "1.5万元用于慰问。"),
        ("支部书记说：要学先烈。", "支部书记说：要学先烈。"),
    ],
)
def test_clean_turns_the_models_lists_into_prose(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned


def test_streaming_and_cancel(lib: Workbench, fake: FakeLLM) -> None:
    pieces: list[str] = []
    draft = lib.draft("工作总结", FACTS, on_token=pieces.append, cancelled=lambda: len(pieces) >= 2)
    assert draft.stopped == "cancelled" and pieces


@pytest.mark.parametrize(
    ("excerpt", "position", "count", "shown"),
    [
        # A brief without 一、 sections: its title is no sentence pattern (a model copies it as its first line).
        (
            "明川区机关党支部主题党日活动简报\n支部组织党员重温入党誓词。\n第×期",
            0,
            2,
            "支部组织党员重温入党誓词。",
        ),
        (
            "标题\n一、主要工作\n学习抓得实，成效明显。\n二、下一步\n继续加强学习，巩固成效。",
            2,
            3,
            "继续加强学习，巩固成效。",
        ),
        ("标题\n只有一行标题", 0, 1, "（无）"),
    ],
)
def test_the_skeleton_holds_sentences_only(excerpt: str, position: int, count: int, shown: str) -> None:
    from workbench.write.compose import skeleton

    assert skeleton(excerpt, position, count) == shown


@pytest.mark.parametrize(
    ("count", "first", "sizes"),
    [
        (1, 6, [1]),
        (6, 6, [6]),
        (7, 6, [4, 3]),
        (12, 6, [6, 6]),
        (13, 6, [5, 4, 4]),
        (16, 6, [6, 5, 5]),
        (3, 3, [3]),
        (4, 3, [3, 1]),
        (16, 3, [3, 5, 4, 4]),
    ],
)
def test_a_section_s_facts_come_in_groups_of_six(count: int, first: int, sizes: list[int]) -> None:
    entries = ledger.build("\n".join(f"第{i}条：开展活动{i}次" for i in range(1, count + 1)), "", "")
    groups = _groups([e for e in entries if e.role == "fact"], first)
    assert [len(g) for g in groups] == sizes
    assert [e for g in groups for e in g] == [e for e in entries if e.role == "fact"]  # order kept


def test_a_long_section_is_written_a_paragraph_per_group(lib: Workbench, fake: FakeLLM) -> None:
    facts = "\n".join(f"全年开展第{i}项工作，共{i + 10}次。" for i in range(1, 15))
    fake.prompts.clear()
    draft = lib.draft("工作总结", facts, "梧桐区实验中学", "2024年")
    asks = [p[-1]["content"] for p in fake.prompts]
    assert sum("这一部分的下一段" in a for a in asks) >= 2  # 14 facts in one section: 3 calls, not 1
    assert all(a.count("全年开展第") <= 6 for a in asks)
    assert asks[0].count("全年开展第") == 3  # the draft's first paragraph is short: its first words come soon
    assert all(f"共{i + 10}次" in draft.text for i in range(1, 15))


@pytest.mark.parametrize(
    ("doc_type", "facts", "sections"),
    [
        # The sheet opens with when and what, unlabelled: the 导语 takes it (with the 参加 line its words send).
        (
            "活动简报",
            "2025年4月18日，青石小学党支部在烈士陵园开展主题党日活动。\n支部党员共26人参加。\n党员们重温入党誓词。",
            [["f1", "f2"], ["f3"]],
        ),
        # Only the first such fact: a later dated activity stays in the body.
        (
            "新闻稿",
            "5月8日，城南中学举行科技节开幕式。\n5月9日，学生社团组织机器人比赛，30支队伍参赛。",
            [["f1"], ["f2"]],
        ),
        # A date without anything happening (a figure's year) is not an opening.
        ("活动简报", "1948年，17名战士在此坚守两天两夜。\n党员们瞻仰烈士墓。", [["f1", "f2"]]),
        # Types without a lead are unchanged: the dated activity goes to the main section.
        ("工作总结", "2024年3月，学校开展读书节活动，评选阅读之星60名。", [["f1"], [], []]),
    ],
)
def test_the_lead_opens_with_the_fact_saying_when_and_what(
    doc_type: str, facts: str, sections: list[list[str]]
) -> None:
    plan = outline.build(doc_type, ledger.build(facts))
    assert [s.facts for s in plan.sections] == sections


def test_a_fact_spread_over_two_sentences_is_carried_once(lib: Workbench, fake: FakeLLM) -> None:
    facts = "2024年，全校有教学班42个、学生1986人、教职工163人。"
    fake.queue("2024年，全校有教学班42个、学生1986人。教职工163人，队伍稳定。")
    draft = lib.draft("工作总结", facts)
    assert draft.text.count("1986人") == 1  # not written again from the fact
    assert not [r for r in draft.repairs if r["action"] == "written_from_fact"]
    (entry,) = [e for e in draft.ledger if e["role"] == "fact"]
    ((start, end),) = entry["used_in"]
    assert "42个" in draft.text[start:end] and "163人" in draft.text[start:end]


def test_a_section_does_not_open_with_its_own_heading_as_a_label(lib: Workbench, fake: FakeLLM) -> None:
    fake.queue("2024年召开党员大会5次。", "下一步打算：拟开展读书活动3次。")
    draft = lib.draft("工作总结", "2024年召开党员大会5次。\n下一步拟开展读书活动3次。")
    assert "三、下一步打算" in draft.text and "下一步打算：" not in draft.text
    assert "拟开展读书活动3次。" in draft.text


def test_drafting_refuses_exactly_what_the_rules_flag() -> None:
    """Every hand-written false claim the rules flag is refused by the write path, and no faithful one the rules
    pass is: what a draft can still carry is what the checker's rules miss (README: per family)."""
    from workbench.data import evals_dir
    from workbench.write.compose import _invented

    rows = [
        json.loads(x)
        for x in (evals_dir() / "faithfulness_handwritten.jsonl").read_text("utf-8").splitlines()
    ]
    refused = flagged = 0
    for row in rows:
        checker = RuleChecker([row["source"]])
        flags = checker.check(row["claim"], lines=True).claims[0].verdict == "unsupported"
        assert bool(_invented(checker, row["claim"])) == flags, row
        refused += flags and row["label"] == "unsupported"
        flagged += flags
    # 2026-12-06: 111 of the 125 false claims refused; 8 of the 95 faithful ones refused too (their wording is lost)
    assert refused >= 105 and flagged - refused <= 12
