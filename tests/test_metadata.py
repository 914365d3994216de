from __future__ import annotations

import pytest

from workbench.library.documents import make_document
from workbench.library.metadata import classify, extract_date, extract_title, extract_unit


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            ["中共某区教育工作委员会文件", "某教党〔2020〕1号", "某区教育工作委员会2020年工作要点", "正文"],
            "某区教育工作委员会2020年工作要点",
        ),
        (
            ["市教育系统党委第5次会议暨", "党建工作领导小组全体会议召开", "正文"],
            "市教育系统党委第5次会议暨党建工作领导小组全体会议召开",
        ),
        (
            ["凝心聚力抓党建", "——某区教师发展中心创建工作汇报", "正文"],
            "凝心聚力抓党建——某区教师发展中心创建工作汇报",
        ),
        (["作者:张三", "发布时间:2021-06-30", "某校举行技能大赛"], "某校举行技能大赛"),
    ],
)
def test_title(lines: list[str], title: str) -> None:
    assert extract_title(lines) == title


@pytest.mark.parametrize(
    ("lines", "title", "unit"),
    [
        (["中共某某区教育工作委员会文件", "x"], "", "某某区教育工作委员会"),
        (["标题", "——临江区教师发展中心开展创建工作汇报"], "标题", "临江区教师发展中心"),
        (["x"], "青禾县实验小学2023年度党建工作总结", "青禾县实验小学"),
        (["正文", "松林镇中心幼儿园", "2023年12月25日"], "保教工作总结", "松林镇中心幼儿园"),
        (["正文"], "某校举行技能大赛", ""),
        # A year before the unit is not part of it (年青山省政府, 二〇二五年…).
        (["x"], "2025年青山省政府工作报告", "青山省政府"),
        (["x"], "二〇二五年临江区教育局工作总结", "临江区教育局"),
        # 中心工作 is a phrase; a 中心 that is a unit stays one.
        (["x"], "学习会议精神，落实两委中心工作", ""),
        (["x"], "临江区教师发展中心开展中心组学习", "临江区教师发展中心"),
    ],
)
def test_unit(lines: list[str], title: str, unit: str) -> None:
    assert extract_unit(lines, title) == unit


@pytest.mark.parametrize(
    ("lines", "title", "fallback", "date"),
    [
        (["标题", "发布时间:2021-06-30 13:06:00", "正文2020年5月1日"], "标题", "", "2021-06-30"),
        (["标题", "正文", "某校党支部", "2023年12月28日"], "标题", "", "2023-12-28"),
        (["标题", "正文", "2020 年 3 月 12 日印发"], "标题", "", "2020-03-12"),
        (["标题", "正文", "2022年5月"], "标题", "", "2022-05"),
        (["x"], "某区2020年工作要点", "", "2020"),
        (["x"], "无日期", "2026-01-02", "2026-01-02"),
        (["标题", "正文", "2023年13月45日"], "标题", "", "2023"),  # no such day: only the year stands
    ],
)
def test_date(lines: list[str], title: str, fallback: str, date: str) -> None:
    assert extract_date(lines, title, fallback) == date


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [
        ("某区2020年工作要点", "", "工作要点"),
        ("某校模范机关创建工作汇报", "", "工作汇报"),
        ("某校2023年度党建工作总结", "", "工作总结"),
        ("机关党支部主题党日活动简报", "", "活动简报"),
        ("中心组学习：深入学习重要指示精神", "", "活动简报"),
        ("某校举行青年教师技能大赛", "作者:林某 来源:某教育网 发布时间:2023-11-09", "新闻稿"),
        ("会议召开", "本报讯 近日，市教育系统党委召开会议", "新闻稿"),
        ("一封信", "亲爱的老师们", "其他"),
    ],
)
def test_classify(title: str, text: str, kind: str) -> None:
    assert classify(title, text) == kind


def test_document_id_is_content_hash() -> None:
    a = make_document("标题\n正文内容，共有党员14名。", path="a.txt")
    b = make_document("标题\r\n正文内容,共有党员14名。\r\n", path="b.txt")  # same after cleaning
    assert a.doc_id == b.doc_id
    assert a.doc_id != make_document("标题\n正文内容，共有党员15名。").doc_id
