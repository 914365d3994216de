"""Each fact stated once and whole: ``coverage.settle`` over hand-made sentences (a table)."""

from __future__ import annotations

import pytest

from workbench.write import ledger
from workbench.write.coverage import settle, uses

FACTS = "2024年，全校有教学班42个、学生1986人、教职工163人。\n召开党员大会5次。"
F1 = "2024年，全校有教学班42个、学生1986人、教职工163人。"
F2 = "召开党员大会5次。"


@pytest.mark.parametrize(
    ("sentences", "settled", "reasons"),
    [
        # Every fact stated: nothing changes.
        ([F1, "全年召开党员大会5次。"], [F1, "全年召开党员大会5次。"], []),
        # One fact over two sentences in a row is stated.
        (
            ["2024年全校有教学班42个、学生1986人。", "教职工163人。", F2],
            ["2024年全校有教学班42个、学生1986人。", "教职工163人。", F2],
            [],
        ),
        # Stated in part, apart: written whole where its first part stood, the parts gone.
        (
            ["学校规模稳定。", "全校有教学班42个。", F2, "教职工163人，队伍稳定。"],
            ["学校规模稳定。", F1, F2],
            ["事实 f1 只写进了一部分"],
        ),
        # A sentence pointing back at a part sentence that went goes too.
        (
            ["全校有教学班42个。", "这说明学校规模稳定。", F2, "教职工163人。", "这一年很充实。"],
            [F1, F2, "这一年很充实。"],
            ["它所指的句子已按事实重写", "事实 f1 只写进了一部分"],
        ),
        # A part sentence that states another fact whole keeps that fact; the part's clause goes, the fact follows.
        (
            ["全校有教学班42个，召开党员大会5次。", "这一年很充实。"],
            ["召开党员大会5次。", F1, "这一年很充实。"],
            ["事实 f1 只写进了一部分"],
        ),
        # ... unless the clause also holds the other fact's figures: then the fact is written at the end.
        (
            ["全校有教学班42个时召开党员大会5次。"],
            ["全校有教学班42个时召开党员大会5次。", F1],
            ["事实 f1 没有写进初稿"],
        ),
        # A fact stated whole a second time: the later sentence goes (even with words of its own).
        (
            [F1, F2, "学校承担的工作：2024年全校有教学班42个，学生1986人，教职工163人，规模稳定。"],
            [F1, F2],
            ["与前文重复：事实 f1 已写过"],
        ),
        # The fact's words without its figures, beside the fact: the restatement goes.
        (
            ["全校有教学班、学生和教职工。", F1, F2],
            [F1, F2],
            ["复述了事实 f1（已写过）"],
        ),
        # ... and alone, it is where the fact is written.
        (
            ["全校有教学班、学生和教职工。", F2],
            [F1, F2],
            ["事实 f1 只写进了一部分"],
        ),
        # A sentence that states a new fact beside a repeated one stays.
        (
            [F1, "2024年全校有教学班42个、学生1986人、教职工163人，召开党员大会5次。"],
            [F1, "2024年全校有教学班42个、学生1986人、教职工163人，召开党员大会5次。"],
            [],
        ),
        # Left out: written at the end.
        (["全年召开党员大会5次。"], ["全年召开党员大会5次。", F1], ["事实 f1 没有写进初稿"]),
    ],
)
def test_settle_states_each_fact_once(sentences: list[str], settled: list[str], reasons: list[str]) -> None:
    facts = [e for e in ledger.build(FACTS) if e.role == "fact"]
    out, repairs = settle(facts, sentences)
    assert out == settled
    assert [r.reason for r in repairs] == reasons
    assert all(r.replacement in out for r in repairs if r.action == "written_from_fact")
    assert set(uses(facts, "".join(out))) == {"f1", "f2"}  # the ledger finds every fact in the result


def test_a_fact_stated_in_an_earlier_section_is_not_stated_again() -> None:
    facts = [e for e in ledger.build(FACTS) if e.role == "fact"]
    f1, f2 = facts
    out, repairs = settle([f2], ["全年召开党员大会5次。", F1, "这一年很充实。"], before=[f1])
    assert out == ["全年召开党员大会5次。", "这一年很充实。"]
    assert [r.reason for r in repairs] == ["与前文重复：事实 f1 已写过"]
    # Without it, the sentence is another section's true fact and stays.
    assert settle([f2], ["全年召开党员大会5次。", F1])[0] == ["全年召开党员大会5次。", F1]


def test_a_fact_without_figures_said_in_two_sentences_keeps_both() -> None:
    facts = [
        e
        for e in ledger.build(
            "部分学科教师结构性缺编，音乐教师不足；理化生实验室设备老化，分组实验开出率不高。\n全年组织公开课136节。"
        )
        if e.role == "fact"
    ]
    sentences = [
        "部分学科教师结构性缺编，音乐教师不足；",
        "理化生实验室设备老化，分组实验开出率不高。",
        "全年组织公开课136节。",
    ]
    assert settle(facts, sentences) == (sentences, [])
