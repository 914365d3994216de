from __future__ import annotations

import pytest

from workbench.library.cleaning import clean_text, normalise_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("全年共开展活动１２次", "全年共开展活动12次"),  # full-width digits
        ("近日,市教育局召开会议", "近日，市教育局召开会议"),  # ASCII comma between CJK
        ("党员（29名）占比63%", "党员（29名）占比63%"),
        ("2020 年 3 月 12 日印发", "2020年3月12日印发"),
        ("坚持党建引领　　　强化使命担当", "坚持党建引领 强化使命担当"),  # ideographic spaces collapse to one
        ("会议强调 ， 要压实责任 。", "会议强调，要压实责任。"),
        ("Word 2016 版本", "Word 2016 版本"),
    ],
)
def test_normalise_line(raw: str, expected: str) -> None:
    assert normalise_line(raw) == expected


def test_word_bookmark_artefact_removed() -> None:
    assert clean_text("标题\n[bookmark: _GoBack]（一）严肃党内政治生活") == "标题\n（一）严肃党内政治生活"


def test_repeated_paragraph_kept_once() -> None:
    para = "学校党支部牵头推出课后服务提质项目，开设社团27个。"
    assert clean_text(f"标题\n{para}\n{para}\n短行\n短行").split("\n") == ["标题", para, "短行", "短行"]


def test_trailing_web_links_cut() -> None:
    body = "\n".join(f"第{i}段正文内容，记录了活动的经过与成效。" for i in range(6))
    raw = f"标题\n{body}\n推荐新闻\n- 1\n全市召开校园安全工作会议\n教育之江"
    cleaned = clean_text(raw)
    assert cleaned.endswith("第5段正文内容，记录了活动的经过与成效。")
    assert "推荐新闻" not in cleaned


def test_early_link_heading_is_content() -> None:
    raw = "标题\n相关链接\n" + "\n".join(f"第{i}段正文。" for i in range(6))
    assert "相关链接" in clean_text(raw)


def test_sentence_broken_by_page_break_is_joined() -> None:
    raw = (
        "某区教育工作要点\n\n"
        "一、强化政治建设\n"
        "深入学习贯彻党的创新理论，推动学思践悟往深里走、往心里走、\n\f\n"
        "往实里走，切实提高政治站位。\n"
        "二、加强队伍建设\n"
    )
    assert clean_text(raw).split("\n") == [
        "某区教育工作要点",
        "一、强化政治建设",
        "深入学习贯彻党的创新理论，推动学思践悟往深里走、往心里走、往实里走，切实提高政治站位。",
        "二、加强队伍建设",
    ]


def test_title_and_headings_are_never_joined() -> None:
    raw = "中共某某区教育工作委员会关于印发二〇二〇年度工作要点的通知文件\n\n2020年是决战之年。\n一、总体要求"
    assert clean_text(raw).split("\n")[0].endswith("文件")
    assert clean_text(
        "标题\n" + "很长的一行正文但是没有结束标点符号而且超过了三十个字符的长度呀\n一、下一节"
    ).endswith("\n一、下一节")
