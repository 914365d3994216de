from __future__ import annotations

import pytest

from workbench.library.chunking import chunk_text
from workbench.text.structure import heading_label, heading_level, sections
from workbench.text.tokens import count_tokens


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("一、主要工作和成效", 1),
        ("十二、其他", 1),
        ("（一）强化党建引领", 2),
        ("(三)服务基层", 2),
        ("1.深化思想认识，提高政治站位。", 3),
        ("2、规范组织生活", 3),
        ("3. 招聘新教师120名", 3),
        ("（1）示范岗教师全年承担公开课23节。", 4),
        ("1.5万名学生参加活动。", 0),  # a number, not a heading
        ("一是部分党员理论学习不够；", 0),
        ("2023年，学校党支部……", 0),
    ],
)
def test_heading_level(line: str, level: int) -> None:
    assert heading_level(line) == level


def test_heading_label_stops_at_first_sentence_end() -> None:
    assert heading_label("1.深化思想认识，提高政治站位。把学习作为长期任务") == "1.深化思想认识"
    assert heading_label("二、创建工作成效") == "二、创建工作成效"


REPORT = """某校2023年工作总结
2023年，学校各项工作有序推进。
一、主要工作
（一）抓好理论学习
1.坚持三会一课制度。全年召开党员大会6次。
2.开展读书分享活动。撰写心得41篇。
（二）强化队伍建设
设立党员示范岗9个。
二、存在的问题
理论学习联系实际不够。"""


def test_sections_carry_heading_paths() -> None:
    paths = [s.heading for s in sections(REPORT)]
    assert paths == [
        (),
        ("一、主要工作",),
        ("一、主要工作", "（一）抓好理论学习"),
        ("一、主要工作", "（一）抓好理论学习", "1.坚持三会一课制度"),
        ("一、主要工作", "（一）抓好理论学习", "2.开展读书分享活动"),
        ("一、主要工作", "（二）强化队伍建设"),
        ("二、存在的问题",),
    ]


def test_small_items_share_a_chunk_but_never_cross_a_top_heading() -> None:
    chunks = chunk_text("d", REPORT, budget=256)
    assert [c.heading_path for c in chunks] == ["", "一、主要工作", "二、存在的问题"]
    assert chunks[1].text.startswith("一、主要工作\n（一）抓好理论学习")
    assert "设立党员示范岗9个。" in chunks[1].text


def test_budget_is_respected_and_nothing_is_lost() -> None:
    long_para = "".join(f"第{i}项工作按计划完成，群众满意度较高。" for i in range(80))
    text = f"标题\n一、情况\n{long_para}\n（一）细节\n" + "\n".join(
        f"{i}.事项{i}已办结。" for i in range(1, 40)
    )
    chunks = chunk_text("d", text, budget=64)
    assert all(count_tokens(c.text) <= 64 for c in chunks)
    assert "".join(c.text.replace("\n", "") for c in chunks) == text.replace("\n", "")
    # the long paragraph was cut at sentence ends, not mid-sentence
    assert all(c.text.endswith("。") for c in chunks[1:])
    assert chunks[1].text.startswith("一、情况\n第0项")
    assert [c.index for c in chunks] == list(range(len(chunks)))
