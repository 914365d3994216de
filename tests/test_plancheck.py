"""对照要点: parsing a 工作要点, the status rules (table tests), matching, the façade, drafting and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench import STATUSES, FakeLLM, InputError, Workbench
from workbench.check.numbers import quantities
from workbench.cli import main
from workbench.plan.compare import DONE, PARTLY, UNSEEN, compare
from workbench.plan.export import export_table, rows
from workbench.plan.match import Fact, match
from workbench.plan.parse import Target, parse, targets
from workbench.plan.summary import UNSEEN_HEADING

EVALS = ROOT / "evals"  # this checkout's sets (the installed workbench.evals may be another checkout's)
# A fictional plan, numbered afresh in every section, with （1） entries under an item and a 落款.
PLAN = """石桥县教育局2025年工作要点

2025年全县教育工作要突出质量和安全，重点抓好以下三个方面6项工作。

一、办好家门口的好学校
1. 扩充学位。新建石桥三小，新增学位不少于1200个。
2. 推进集团化办学。
（1）组建教育集团4个；
（2）集团内教师交流比例达到12%以上。
二、建设教师队伍
1. 招聘新教师80名，6月底前完成招聘。
2. 控制大班额。全县小学大班额比例控制在3%以内。
三、守住安全底线
1. 完成校舍安全排查，力争年内整改全部隐患。
2. 开展防溺水专题教育。

石桥县教育局
2025年2月10日
"""

FACTS = """石桥三小建成投用，全年新增学位1350个。
组建教育集团4个，集团内教师交流比例达到10%。
全县招聘新教师86名。
全县小学大班额比例降至2.1%。
县教育局组织离退休干部重阳节茶话会。"""


@pytest.fixture
def fake_wb(wb: Workbench) -> Workbench:
    return Workbench(wb.settings, embedder=wb.embedder, llm=FakeLLM())


# -- parse ------------------------------------------------------------------------------------------------


def test_a_plan_parses_to_sections_and_items_numbered_across_the_plan() -> None:
    plan = parse(PLAN)
    assert plan.title == "石桥县教育局2025年工作要点"
    assert [s.label for s in plan.sections] == ["一", "二", "三"]
    assert [s.items for s in plan.sections] == [["1", "2"], ["3", "4"], ["5", "6"]]  # restarted 1. renumbered
    assert [i.section for i in plan.items] == ["一", "一", "二", "二", "三", "三"]
    assert plan.item("1").title == "扩充学位"
    assert "（2）集团内教师交流比例" in plan.item("2").text  # a deeper entry folds into its item
    assert (
        "石桥县教育局" not in plan.item("6").text and "2月10日" not in plan.item("6").text
    )  # 落款 is no item
    assert "学位" in plan.item("1").keys


def test_targets_carry_value_unit_bound_deadline_and_wording() -> None:
    plan = parse(PLAN)
    got = {i.id: [(t.value, t.unit, t.bound) for t in i.targets if t.numeric] for i in plan.items}
    assert got["1"] == [(1200, "个", "min")]
    assert got["2"] == [(4, "个", "min"), (12, "%", "min")]
    assert got["4"] == [(3, "%", "max")]  # 控制在…以内 is an upper bound
    assert plan.item("3").targets[0].deadline == ""  # the deadline sits in its own clause
    assert [(t.deadline, t.value) for t in plan.item("3").targets if t.deadline] == [("6月底前", None)]
    assert [(t.wording, t.deadline) for t in plan.item("5").targets] == [("力争", "年内")]
    assert plan.item("6").targets == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("新增学位1.2万个", [(12000, "个", "min")]),  # 万 folded into the value
        ("辍学率不超过0.5%", [(0.5, "%", "max")]),
        ("投入资金控制在300万元以下", [(3_000_000, "元", "max")]),
        ("学习贯彻党的二十届三中全会精神，增强“四个意识”", []),  # names, not amounts
        ("确保九年一贯制学校如期开学，举办第二届读书节", []),
        ("2025年3月完成", []),  # a date is no amount
    ],
)
def test_target_figures(text: str, want: list[tuple[float, str, str]]) -> None:
    assert [(t.value, t.unit, t.bound) for t in targets(text) if t.numeric] == want


def test_a_plan_without_sections_takes_its_top_numbered_entries() -> None:
    plan = parse("某校2025年工作计划\n1. 开展读书月活动。\n（1）每班评选书香少年2名。\n2. 举办运动会1次。")
    assert [(s.label, s.items) for s in plan.sections] == [("", ["1", "2"])]
    assert plan.item("1").targets[0].value == 2


def test_a_plan_with_no_numbered_items_says_what_a_plan_needs() -> None:
    with pytest.raises(InputError) as err:
        parse("今年我们要把各项工作做好，全面提升教育质量。\n希望大家共同努力。")
    assert "没有找到编号" in err.value.message and "一、" in err.value.hint and "1." in err.value.hint


def test_two_hundred_items_parse_and_check(fake_wb: Workbench) -> None:
    sections = []
    for s in range(10):
        lines = [f"{'一二三四五六七八九十'[s]}、第{s + 1}方面工作"]
        lines += [f"{n}. 推进第{s * 20 + n}号专项任务，完成检查{n}次。" for n in range(1, 21)]
        sections.append("\n".join(lines))
    plan_text = "\n".join(sections)
    assert len(parse(plan_text).items) == 200
    seen: list[tuple[int, int]] = []
    result = fake_wb.plan_check(
        plan_text, "推进第7号专项任务，完成检查9次。", progress=lambda d, t: seen.append((d, t))
    )
    assert len(result.items) == 200 and seen[-1][0] == seen[-1][1] == 201
    assert result.item("7").status == DONE


# -- compare (the status rules) ---------------------------------------------------------------------------

_AT_LEAST_100 = Target("招聘教师100名", 100, "名", "min")
_AT_MOST_3 = Target("比例控制在3%以内", 3, "%", "max")
_DEADLINE = Target("6月底前完成", None, "", "", "6月底前")


@pytest.mark.parametrize(
    ("targets_", "reported", "facts", "want"),
    [
        ([], "", 0, UNSEEN),
        ([_AT_LEAST_100], "招聘教师120名", 0, UNSEEN),  # figures without a matched fact decide nothing
        ([], "开展了活动", 1, DONE),
        ([_AT_LEAST_100], "招聘教师120名", 1, DONE),
        ([_AT_LEAST_100], "招聘教师100人", 1, DONE),  # 人 and 名 both count people; equal meets
        ([_AT_LEAST_100], "招聘教师96名", 1, PARTLY),  # below the target
        ([_AT_LEAST_100], "招聘教师一批", 1, PARTLY),  # no figure of its unit
        ([_AT_LEAST_100], "新建学校100所", 1, PARTLY),  # a figure, but another unit
        ([_AT_LEAST_100], "招聘教师1.2万名", 1, DONE),  # 万 normalised
        ([_AT_MOST_3], "比例为2.1%", 1, DONE),
        ([_AT_MOST_3], "比例为3.4%", 1, PARTLY),  # over an upper bound
        ([_AT_LEAST_100, _AT_MOST_3], "招聘教师120名，比例为5%", 1, PARTLY),  # every target must be met
        ([_AT_LEAST_100], "招聘教师90名，下半年又招聘105名", 1, DONE),  # one figure meeting it is enough
        ([_DEADLINE], "9月完成", 1, DONE),  # a deadline is reported, never compared
    ],
)
def test_status_rules(targets_: list[Target], reported: str, facts: int, want: str) -> None:
    status, checks = compare(targets_, quantities(reported), facts)
    assert status == want
    assert all(c.met is None for c in checks if not c.target.numeric)


def test_a_target_check_reports_the_figures_of_its_unit() -> None:
    _, checks = compare([_AT_LEAST_100], quantities("招聘教师96名，新建学校3所"), 1)
    assert checks[0].reported == ["96名"] and checks[0].met is False
    assert checks[0].to_json()["bound"] == "min"


# -- matching, the façade ---------------------------------------------------------------------------------


def test_plan_check_statuses_sources_and_unmatched(fake_wb: Workbench) -> None:
    result = fake_wb.plan_check(PLAN, FACTS, facts_source="2025年事实.txt")
    status = {r.item.id: r.status for r in result.items}
    assert status == {"1": DONE, "2": PARTLY, "3": DONE, "4": DONE, "5": UNSEEN, "6": UNSEEN}
    assert [f.text for f in result.unmatched_facts] == ["县教育局组织离退休干部重阳节茶话会。"]
    data = result.to_json()
    assert set(data) >= {"sections", "items", "unmatched_facts"}
    item = data["items"][1]
    assert set(item) == {"id", "section", "title", "status", "facts", "targets"}
    assert item["facts"] == [
        {"text": "组建教育集团4个，集团内教师交流比例达到10%。", "source": "2025年事实.txt"}
    ]
    assert [(t["value"], t["reported"], t["met"]) for t in item["targets"]] == [
        (4, ["4个"], True),
        (12, ["10%"], False),
    ]
    assert data["counts"] == {DONE: 3, PARTLY: 1, UNSEEN: 2} and tuple(data["counts"]) == STATUSES


def test_the_users_mapping_overrides_the_matching(fake_wb: Workbench) -> None:
    mapping: dict[str, str | None] = {"5": "6", "全县招聘新教师86名。": None}
    result = fake_wb.plan_check(PLAN, FACTS, mapping=mapping)
    assert result.item("6").status == DONE and result.item("3").status == UNSEEN
    assert "全县招聘新教师86名。" in [f.text for f in result.unmatched_facts]


@pytest.mark.parametrize(
    ("mapping", "words"),
    [({"99": "1"}, "既不是"), ({"1": "77"}, "不存在的要点"), ({"没有这条事实": "1"}, "既不是")],
)
def test_a_mapping_that_fits_nothing_is_a_clear_error(mapping: dict[str, str | None], words: str) -> None:
    plan = parse(PLAN)
    with pytest.raises(InputError) as err:
        match(plan.items, [Fact("新增学位1350个")], None, mapping)
    assert words in err.value.message


def test_facts_that_match_nothing_leave_every_item_unseen(fake_wb: Workbench) -> None:
    result = fake_wb.plan_check(PLAN, "上午下了一场大雨。\n食堂更换了餐桌椅。")
    assert {r.status for r in result.items} == {UNSEEN}
    assert len(result.unmatched_facts) == 2


def test_no_facts_at_all_is_a_clear_error(fake_wb: Workbench) -> None:
    with pytest.raises(InputError, match="没有提供本年度的事实"):
        fake_wb.plan_check(PLAN, "  \n")


def test_library_facts_come_from_documents_of_the_unit_and_year(fake_wb: Workbench, tmp_path: Path) -> None:
    doc = tmp_path / "石桥县教育局2025年教育工作简报.txt"
    doc.write_text(
        "石桥县教育局2025年教育工作简报\n2025年12月20日\n石桥三小建成投用，全年新增学位1350个。\n",
        encoding="utf-8",
    )
    fake_wb.ingest([doc], progress=False)
    result = fake_wb.plan_check(PLAN, from_library=True, unit="石桥县教育局", year=2025)
    assert result.item("1").status == DONE
    assert result.item("1").facts[0].source == fake_wb.list_documents()[0].title
    with pytest.raises(InputError):
        fake_wb.plan_check(PLAN, from_library=True, unit="石桥县教育局", year=2019)


# -- drafting and export ----------------------------------------------------------------------------------


def test_the_summary_follows_the_plan_and_lists_unseen_items_at_the_end(fake_wb: Workbench) -> None:
    result = fake_wb.plan_check(PLAN, FACTS)
    draft = fake_wb.draft_from_plan(result, "石桥县教育局", "2025年")
    body, _, tail = draft.text.partition(UNSEEN_HEADING)
    assert body.index("一、办好家门口的好学校") < body.index("二、建设教师队伍")
    assert "三、守住安全底线" not in body  # its items have no fact: no words written for them
    assert "校舍安全排查" not in body and "防溺水" not in body
    assert "第5项　完成校舍安全排查" in tail and "第6项　开展防溺水专题教育" in tail
    assert [u["id"] for u in draft.unseen] == ["5", "6"] and draft.to_json()["unseen"] == draft.unseen
    assert draft.outline is not None
    assert [s["plan_item"] for s in draft.outline["sections"]] == ["1,2", "3,4"]
    assert "重阳节" not in draft.text  # a fact of no item stays out
    assert draft.check is not None and not [s for s in draft.check.unsupported_spans if s.check == "number"]


def test_a_summary_with_nothing_reported_is_refused(fake_wb: Workbench) -> None:
    result = fake_wb.plan_check(PLAN, "上午下了一场大雨。")
    with pytest.raises(InputError, match="没有任何工作要点"):
        fake_wb.draft_from_plan(result)


def test_the_table_exports_to_docx(fake_wb: Workbench, tmp_path: Path) -> None:
    import docx

    result = fake_wb.plan_check(PLAN, FACTS)
    assert rows(result)[1][3] == PARTLY and "10%（未达到）" in rows(result)[1][6]
    path = export_table(result, tmp_path / "对照表.docx")
    cells = [c.text for c in docx.Document(str(path)).tables[0].rows[2].cells]
    assert cells[2] == "推进集团化办学" and cells[3] == PARTLY
    with pytest.raises(InputError):
        export_table(result, tmp_path / "对照表.pdf")


def test_the_table_exports_to_xlsx(fake_wb: Workbench, tmp_path: Path) -> None:
    import openpyxl

    path = export_table(fake_wb.plan_check(PLAN, FACTS), tmp_path / "对照表.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(row=3, column=4).value == PARTLY


# -- CLI --------------------------------------------------------------------------------------------------


def _files(tmp_path: Path) -> tuple[Path, Path]:
    plan, facts = tmp_path / "要点.txt", tmp_path / "事实.txt"
    plan.write_text(PLAN, encoding="utf-8")
    facts.write_text(FACTS, encoding="utf-8")
    return plan, facts


def test_cli_plan_check_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_EMBEDDER", "fake")
    plan, facts = _files(tmp_path)
    code = main(
        ["plan-check", "--plan", str(plan), "--facts", str(facts), "--store", str(tmp_path / "s"), "--json"]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and [i["status"] for i in data["items"]][:2] == [DONE, PARTLY]
    assert data["items"][0]["facts"][0]["source"] == "事实.txt"


def test_cli_plan_check_text_and_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_EMBEDDER", "fake")
    plan, facts = _files(tmp_path)
    facts.write_text("上午下了一场大雨。", encoding="utf-8")
    table = tmp_path / "t.docx"
    argv = ["plan-check", "--plan", str(plan), "--facts", str(facts), "--store", str(tmp_path / "s")]
    assert main([*argv, "--table", str(table)]) == 0
    out = capsys.readouterr().out
    assert "所有要点都没有找到对应的事实" in out and table.is_file()


def test_cli_plan_without_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_EMBEDDER", "fake")
    plan, facts = _files(tmp_path)
    plan.write_text("今年要把工作做好。", encoding="utf-8")
    assert (
        main(["plan-check", "--plan", str(plan), "--facts", str(facts), "--store", str(tmp_path / "s")]) == 1
    )
    assert "工作要点需要" in capsys.readouterr().err


def test_cli_draft_from_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_EMBEDDER", "fake")
    monkeypatch.setenv("WORKBENCH_LLM", "fake")
    plan, facts = _files(tmp_path)
    out = tmp_path / "总结.docx"
    argv = [
        "draft",
        "--type",
        "工作总结",
        "--plan",
        str(plan),
        "--facts",
        str(facts),
        "--unit",
        "石桥县教育局",
    ]
    code = main([*argv, "--store", str(tmp_path / "s"), "--out", str(out), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and out.is_file()
    assert UNSEEN_HEADING in data["text"] and [u["id"] for u in data["unseen"]] == ["5", "6"]
    assert data["plan_check"]["counts"][UNSEEN] == 2


# -- the real 2020 工作要点 ------------------------------------------------------------------------------


@pytest.mark.corpus
def test_the_real_2020_plan_parses_to_six_sections_and_nineteen_items(corpus: Path, wb: Workbench) -> None:
    plan = Workbench.parse_plan(wb.read_text(corpus / "002_7f016c66f8d614bf.txt"))
    assert len(plan.sections) == 6 and len(plan.items) == 19
    assert [len(s.items) for s in plan.sections] == [4, 4, 3, 3, 2, 3]
    assert plan.items[0].title == "强化政治建设" and plan.items[-1].section == "六"
    assert plan.title.endswith("2020年工作要点")  # not the red header above it


# -- the hand-labelled eval set ---------------------------------------------------------------------------


def test_every_eval_plan_parses_to_its_labelled_items() -> None:
    rows = [json.loads(ln) for ln in (EVALS / "plancheck.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 3
    for row in rows:
        assert [i.id for i in parse(row["plan"]).items] == list(row["expected"]), row["name"]


def test_the_eval_sets_prose_plan_is_refused() -> None:
    with pytest.raises(InputError, match="没有找到编号"):
        parse((EVALS / "plancheck_bad_plan.txt").read_text(encoding="utf-8"))


def test_cli_outline_from_plan_then_draft_from_the_edited_outline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fake_wb: Workbench
) -> None:
    monkeypatch.setenv("WORKBENCH_EMBEDDER", "fake")
    plan, facts = _files(tmp_path)
    argv = ["outline", "--plan", str(plan), "--facts", str(facts), "--store", str(tmp_path / "s"), "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["heading"] for s in data["sections"]] == ["一、办好家门口的好学校", "二、建设教师队伍"]
    data["sections"][0]["heading"] = "一、学位和集团化办学"
    edited = Workbench.load_outline(json.dumps(data, ensure_ascii=False))
    draft = fake_wb.draft_from_plan(fake_wb.plan_check(PLAN, FACTS), outline=edited)
    assert draft.text.index("一、学位和集团化办学") < draft.text.index(UNSEEN_HEADING)
    assert main(["outline", "--store", str(tmp_path / "s")]) == 1  # neither --type/--facts nor --plan


def test_the_plancheck_eval_passes_quick(tmp_path: Path, wb: Workbench) -> None:
    from workbench.evaluation.run import run_eval

    config = tmp_path / "config.toml"
    config.write_text(
        f'[plancheck]\ndataset = "{EVALS / "plancheck.jsonl"}"\n[thresholds]\n"plancheck.status_accuracy" = 0.9\n'
        '"plancheck.unseen_kept_out" = 1.0\n"plancheck.clean_body" = 1.0\n',
        encoding="utf-8",
    )
    result = run_eval(config, wb, quick=True)
    assert result["passed"], result["thresholds"]
    assert result["plancheck"]["items"] == 83 and result["plancheck"]["unsupported_in_body"] == 0
