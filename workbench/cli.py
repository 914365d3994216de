"""``workbench ...``: parse arguments, call the Workbench, print text or JSON. Errors become one message."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .check import CheckReport
from .config import Settings
from .core import Workbench
from .data import evals_dir, samples_dir
from .errors import InputError, WorkbenchError
from .types import DOC_TYPES, Hit, IngestReport
from .write.export import export


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", type=Path, help="库目录（默认 ./vectorstore，或 WORKBENCH_HOME）")
    common.add_argument("--json", action="store_true", help="stdout 只输出 JSON")
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--type", choices=DOC_TYPES, help="文档类型")
    filters.add_argument("--year", type=int, help="年份，如 2021")
    filters.add_argument("--unit", help="发文单位")

    parser = argparse.ArgumentParser(prog="workbench", description="报告写作台：范文库、起草、摘要、核查")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", parents=[common], help="导入文件或文件夹（txt/md/docx/pdf）")
    p.add_argument("paths", nargs="+", type=Path)
    sub.add_parser("list", parents=[common, filters], help="列出库中的文档")
    p = sub.add_parser("remove", parents=[common], help="按文档编号或路径删除")
    p.add_argument("doc")
    p = sub.add_parser("doctor", parents=[common], help="检查库：记录、片段、向量索引、关键词缓存是否一致")
    p.add_argument("--repair", action="store_true", help="重建可以重建的部分（向量索引、关键词缓存、库清单）")
    p = sub.add_parser("search", parents=[common, filters], help="混合检索（向量 + 关键词）")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--documents", action="store_true", help="按文档排序：每篇文档一条（找范文用）")
    p = sub.add_parser("check", parents=[common], help="核查稿件：每个数字、日期、名称是否有出处")
    p.add_argument("--source", type=Path, action="append", required=True, help="事实材料或原文（可多次给出）")
    p.add_argument("--text", type=Path, required=True, help="要核查的稿件")
    p.add_argument("--lines", action="store_true", help="每个非空行是一条陈述")
    for name, help_ in (
        ("outline", "生成可编辑的提纲（事实清单 + 各部分用哪些事实），不调用模型"),
        ("draft", "按本期事实起草：先提纲，再逐部分写，每句核对事实"),
    ):
        p = sub.add_parser(name, parents=[common], help=help_)
        p.add_argument("--type", choices=DOC_TYPES)
        p.add_argument("--facts", type=Path, help="事实材料文件：每行一条事实")
        p.add_argument("--unit", default="")
        p.add_argument("--period", default="")
        p.add_argument("--precedents", default="", help="指定范文的文档编号，逗号分隔")
        p.add_argument("--exclude", default="", help="不要使用的范文文档编号，逗号分隔")
        p.add_argument("--plan", help="按工作要点写（提纲 / 工作总结）：要点文件或库中的文档编号")
        p.add_argument("--mapping", type=Path, help="事实与要点的对应关系 JSON（与 plan-check 相同）")
    p.add_argument("--outline", type=Path, help="按编辑过的提纲起草（workbench outline --json 的输出）")
    p.add_argument("--out", type=Path, help="导出为 .docx / .md / .txt")
    p = sub.add_parser(
        "plan-check", parents=[common], help="对照工作要点：逐项看落实情况（已落实/部分落实/未见）"
    )
    p.add_argument("--plan", required=True, help="工作要点：文件（txt/md/docx/pdf）或库中的文档编号")
    p.add_argument("--facts", type=Path, help="本年度事实文件：每行一条事实")
    p.add_argument("--from-library", action="store_true", help="另从库中取同单位、同年度的材料作为事实")
    p.add_argument("--unit", help="单位（配合 --from-library）")
    p.add_argument("--year", type=int, help="年度（配合 --from-library）")
    p.add_argument("--mapping", type=Path, help='纠正对应关系的 JSON：{"事实原文或序号": "要点编号" 或 null}')
    p.add_argument("--table", type=Path, help="导出对照表：.xlsx 或 .docx")
    p = sub.add_parser("condense", parents=[common], help="把长报告压缩成指定字数的摘要")
    p.add_argument("source", help="文件路径或库中的文档编号")
    p.add_argument("--chars", type=int, default=800)
    p.add_argument("--out", type=Path)
    p = sub.add_parser("eval", parents=[common], help="运行 evals/ 下的评测，未达阈值时退出码为 1")
    p.add_argument("config", nargs="?", type=Path, default=None)
    p.add_argument("--quick", action="store_true", help="快速评测（CI 用）")
    p.add_argument("--html", type=Path, help="写出给人看的 HTML 报告")
    p = sub.add_parser("serve", parents=[common], help="启动网页版写作台")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认只允许本机访问）")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument(
        "--users", type=Path, help="登录用户文件：每行 用户名:argon2哈希，可再跟 :unit=单位名 和 :admin"
    )
    p.add_argument("--samples", action="store_true", help="库为空时先导入示例报告")
    p.add_argument("--allow-open", action="store_true", help="不设登录也在非本机地址上开放（会打印警告）")
    p = sub.add_parser("hash-password", help="为 --users 文件生成一行 用户名:argon2哈希")
    p.add_argument("user")
    p.add_argument("--unit", default="", help="用户所在单位：同单位的用户可以看到彼此设为“本单位”的范文")
    p.add_argument("--admin", action="store_true", help="管理员：能看到和管理所有用户的范文")
    p = sub.add_parser("quickstart", parents=[common], help="库为空时导入示例报告，并演示一次检索")
    p.add_argument("query", nargs="?", default="主题党日活动")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    if args.store is not None:
        return Settings(home=args.store)
    return Settings()


def _print_hits(hits: list[Hit]) -> None:
    if not hits:
        print("没有找到相关内容。")
    for i, hit in enumerate(hits, 1):
        where = f" > {hit.heading}" if hit.heading else ""
        print(f"{i}. 【{hit.type}】{hit.title}{where}  ({hit.date or '日期不详'}, 得分 {hit.score:.4f})")
        print(f"   {hit.text[:120].replace(chr(10), ' ')}{'…' if len(hit.text) > 120 else ''}")
        matched = f"，{hit.matches} 个片段命中" if hit.matches is not None else ""
        print(f"   {hit.path}  [{hit.doc_id}{matched}]")


def _print_ingest(report: IngestReport) -> None:
    print(
        f"新增 {report.added}，更新 {report.updated}，未变 {report.unchanged}，移除 {report.removed}，"
        f"写入 {report.chunks} 个片段"
    )
    for err in report.errors:
        print(f"  ✗ {err['path']}：{err['error']} —— {err['hint']}")
    for skip in report.skipped:
        print(f"  · 跳过 {skip['path']}（{skip['reason']}）")


def _ids(text: str) -> list[str]:
    return [d.strip() for d in text.split(",") if d.strip()]


def _echo(piece: str) -> None:
    print(piece, end="", flush=True)


_MARK = {"supported": "✓", "unsupported": "✗", "unverifiable": "?"}


def _print_check(report: CheckReport) -> None:
    for claim in report.claims:
        print(f"{_MARK[claim.verdict]} {claim.text}")
        if claim.verdict != "supported":
            print(f"    {claim.reason}")
    flagged = sum(c.verdict == "unsupported" for c in report.claims)
    print(f"得分 {report.score:.2f}：{len(report.claims)} 条陈述，{flagged} 条无出处")


class _Failed(Exception):
    """An eval that ran but missed a threshold: print the result, exit 1."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__("thresholds missed")
        self.result = result


def run(args: argparse.Namespace) -> Any:
    """Execute one command; returns the JSON-able result."""
    if args.command == "hash-password":
        import getpass

        from argon2 import PasswordHasher

        from .ui import users_line

        print(users_line(args.user, PasswordHasher().hash(getpass.getpass("密码：")), args.unit, args.admin))
        return None
    wb = Workbench(_settings(args))
    if args.command == "ingest":
        report = wb.ingest(args.paths, progress=not args.json)
        if report.added + report.updated + report.unchanged == 0 and not report.errors and not report.skipped:
            raise WorkbenchError("没有找到可导入的文件", "给出 txt、md、docx、pdf 文件或包含它们的文件夹。")
        if not args.json:
            _print_ingest(report)
        # Exit 1, report still printed, when a path is wrong or every file failed; partial success is 0.
        ingested = report.added + report.updated + report.unchanged
        if any(not p.expanduser().exists() for p in args.paths) or (report.errors and not ingested):
            raise _Failed(report.to_json())
        return report.to_json()
    if args.command == "list":
        rows = wb.list_documents(args.type, args.year, args.unit)
        if not args.json:
            for d in rows:
                print(f"{d.doc_id}  {d.date or '----':10}  {d.type:4}  {d.title}  ({d.chunks} 段)  {d.path}")
            print(f"共 {len(rows)} 篇")
        return [d.to_json() for d in rows]
    if args.command == "remove":
        removed = wb.remove(args.doc)
        if not args.json:
            print(f"已删除 {removed} 篇")
        return {"removed": removed}
    if args.command == "doctor":
        diagnosis = wb.doctor(args.repair)
        if not args.json:
            for line in diagnosis.repaired:
                print(f"✓ {line}")
            for line in diagnosis.problems:
                print(f"✗ {line}")
            if diagnosis.ok:
                print(f"库完好：{diagnosis.documents} 篇文档、{diagnosis.chunks} 个片段")
            elif not args.repair:
                print("提示：运行 workbench doctor --repair 重建可以重建的部分；无法重建时请重新导入原文件。")
        if not diagnosis.ok:  # exit 1 while problems remain, the report still printed
            raise _Failed(diagnosis.to_json())
        return diagnosis.to_json()
    if args.command == "search":
        hits = wb.search(args.query, args.k, args.type, args.year, args.unit, documents=args.documents)
        if not args.json:
            _print_hits(hits)
        return [h.to_json() for h in hits]
    if args.command == "check":
        checked = wb.check(
            wb.read_text(args.text, clean=False), [wb.read_text(s) for s in args.source], lines=args.lines
        )
        if not args.json:
            _print_check(checked)
        return checked.to_json()
    if args.command == "outline" and args.plan:
        args.from_library, args.year = False, None
        plan_outline = wb.plan_outline(_plan_check(wb, args), args.unit, args.period)
        if not args.json:
            _print_outline(plan_outline.to_json())
        return plan_outline.to_json()
    if args.command == "outline":
        if args.type is None or args.facts is None:
            raise InputError(
                "缺少 --type 和 --facts", "给出文稿类型和事实文件（或用 --plan 按工作要点生成提纲）。"
            )
        facts = wb.read_text(args.facts, clean=False)
        plan = wb.outline(args.type, facts, args.unit, args.period, _ids(args.precedents), _ids(args.exclude))
        if not args.json:
            _print_outline(plan.to_json())
        return plan.to_json()
    if args.command == "plan-check":
        checked_plan = _plan_check(wb, args)
        if args.table:
            wb.export_plan_table(checked_plan, args.table)
        if not args.json:
            _print_plan_check(checked_plan.to_json())
        return checked_plan.to_json()
    if args.command == "draft" and args.plan:
        if args.type not in (None, "工作总结"):
            raise InputError("按工作要点起草只能写工作总结", "去掉 --type，或写 --type 工作总结。")
        args.from_library, args.year = False, None
        against = _plan_check(wb, args)
        edited_plan = outline_from_file(args.outline) if args.outline else None  # from outline --plan
        draft = wb.draft_from_plan(
            against, args.unit, args.period, on_token=None if args.json else _echo, outline=edited_plan
        )
        if not args.json and draft.check:
            print()
            _print_check(draft.check)
        if args.out:
            export(draft.text, args.out)
        return {**draft.to_json(), "plan_check": against.to_json()}
    if args.command == "draft":
        pinned, excluded = _ids(args.precedents), _ids(args.exclude)
        stream = None if args.json else _echo
        edited = outline_from_file(args.outline) if args.outline else None
        if edited is None and (args.type is None or args.facts is None):
            raise InputError(
                "缺少 --type 和 --facts", "给出文稿类型和事实文件，或用 --outline 给出编辑过的提纲。"
            )
        facts = wb.read_text(args.facts, clean=False) if args.facts else ""
        kind = args.type or (edited.type if edited else "")
        draft = wb.draft(
            kind, facts, args.unit, args.period, pinned, excluded, on_token=stream, outline=edited
        )
        if not args.json and draft.check:
            print()
            _print_check(draft.check)
        if args.out:
            export(draft.text, args.out)
        return draft.to_json()
    if args.command == "condense":
        path = Path(args.source)
        text = wb.read_text(path) if path.exists() else wb.document_text(args.source)
        # No title passed: the report's own is read from its text, as the library's metadata does (a file
        # name or a document id is never a title).
        summary = wb.condense(text, args.chars, on_token=None if args.json else _echo)
        if not args.json:
            print(f"\n（{summary.chars} 字，原文 {summary.source_chars} 字，{summary.seconds:.1f} 秒）")
            if summary.check:
                _print_check(summary.check)
        if args.out:
            export(summary.summary, args.out)
        return summary.to_json()
    if args.command == "eval":
        from .evaluation.report import html_report
        from .evaluation.run import run_eval

        result = run_eval(args.config or evals_dir() / "config.toml", wb, quick=args.quick)
        if args.html:
            args.html.write_text(html_report(result), encoding="utf-8")
        if not args.json:
            for key, t in result["thresholds"].items():
                print(f"{'✓' if t['passed'] else '✗'} {key} = {t['value']}（阈值 {t['min']}）")
            print("通过" if result["passed"] else "未通过", f"（{result['seconds']} 秒）")
        if not result["passed"]:
            raise _Failed(result)
        return result
    if args.command == "serve":
        from .ui import load_profiles, load_users, serve
        from .ui.memory import limit_arenas

        limit_arenas()  # before the store's threads start: glibc fixes its arena cap once eight exist
        if args.samples and not wb.list_documents():
            print(f"库为空，正在导入示例报告 {samples_dir()} …", file=sys.stderr)
            wb.ingest([samples_dir()], progress=False)
        users = load_users(os.environ.get("WORKBENCH_AUTH", ""), args.users)
        serve(wb, args.host, args.port, users, allow_open=args.allow_open, profiles=load_profiles(args.users))
        return None
    if args.command == "quickstart":
        if not wb.list_documents():
            print(f"库为空，正在导入示例报告 {samples_dir()} …", file=sys.stderr)
            _print_ingest(wb.ingest([samples_dir()]))
        print(f"库 {wb.settings.home.resolve()} 共 {len(wb.list_documents())} 篇。检索“{args.query}”：")
        _print_hits(wb.search(args.query, 3))
        return None
    raise AssertionError(args.command)


def _plan_check(wb: Workbench, args: argparse.Namespace) -> Any:
    """plan-check's and draft --plan's shared part: read the plan, facts and mapping, then check."""
    path = Path(args.plan)
    plan = wb.read_text(path) if path.exists() else wb.document_text(args.plan)
    if args.facts is None and not args.from_library:
        raise InputError(
            "没有给出事实", "用 --facts 给出事实文件（每行一条），或用 --from-library 从库中取材料。"
        )
    facts = wb.read_text(args.facts, clean=False) if args.facts else ""
    mapping = _mapping(args.mapping) if args.mapping else None
    with _progress_bar() as progress:
        return wb.plan_check(
            plan,
            facts,
            args.from_library,
            args.unit or None,
            args.year,
            mapping,
            progress,
            args.facts.name if args.facts else "事实材料",
        )


class _progress_bar:
    """tqdm on stderr for the matching (only on a terminal, so --json and logs stay clean)."""

    def __enter__(self) -> Any:
        self.bar: Any = None

        def update(done: int, total: int) -> None:
            from tqdm import tqdm

            if self.bar is None:
                self.bar = tqdm(
                    total=total, desc="对照", unit="条", file=sys.stderr, disable=None, leave=False
                )
            self.bar.update(done - self.bar.n)

        return update

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _mapping(path: Path) -> dict[str, str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"无法读取对应关系文件 {path}：{exc}", '请写成 JSON：{"事实原文或序号": "要点编号" 或 null}。'
        ) from exc
    if not isinstance(data, dict):
        raise InputError("对应关系文件应是一个 JSON 对象", '例如 {"3": "5", "台风停课两天": null}。')
    return {str(k): None if v is None else str(v) for k, v in data.items()}


_STATUS_MARK = {"已落实": "✓", "部分落实": "△", "未见落实情况": "✗"}


def _print_plan_check(result: dict[str, Any]) -> None:
    counts = result["counts"]
    total = len(result["items"])
    print(
        f"{result['title'] or '工作要点'}：共 {total} 项，"
        + "，".join(f"{k} {v} 项" for k, v in counts.items())
    )
    if counts["未见落实情况"] == total:
        print(
            "所有要点都没有找到对应的事实：请检查事实材料是否属于这一年度、这个单位，或用 --mapping 指定对应关系。"
        )
    sections = {s["id"]: s["title"] for s in result["sections"]}
    shown = None
    for item in result["items"]:
        if item["section"] != shown:
            shown = item["section"]
            if shown:
                print(f"\n{shown}、{sections[shown]}")
        print(f"{_STATUS_MARK[item['status']]} {item['id']}. {item['title']} —— {item['status']}")
        for fact in item["facts"]:
            print(f"    · {fact['text']}" + (f"（{fact['source']}）" if fact["source"] else ""))
        for t in item["targets"]:
            if t["value"] is not None:
                got = (
                    "、".join(t["reported"]) + ("" if t["met"] else "（未达到）")
                    if t["reported"]
                    else "未报告"
                )
                print(f"    目标：{t['text']}；实际：{got}")
    if result["unmatched_facts"]:
        print(f"\n未归入任何要点的事实 {len(result['unmatched_facts'])} 条：")
        for fact in result["unmatched_facts"]:
            print(f"    · {fact['text']}")


def outline_from_file(path: Path) -> Any:
    """An edited outline file; unreadable files are a clear error (nothing is written)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"无法读取提纲文件 {path}：{exc}", "请给出 workbench outline --json 写出的文件。"
        ) from exc
    return Workbench.load_outline(text)


def _print_outline(plan: dict[str, Any]) -> None:
    facts = {e["id"]: e["text"] for e in plan["ledger"]}
    print(plan["title"] or "（标题待补）")
    for i, section in enumerate(plan["sections"]):
        print(f"\n{section['heading'] or f'（第{i + 1}段）'} —— {section['intent']}")
        for fact_id in section["facts"]:
            print(f"  {fact_id}  {facts[fact_id]}")
    for mark in plan["placeholders"]:
        print(mark["text"])


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = _parser().parse_args(argv)
    try:
        result = run(args)
    except _Failed as failed:
        if getattr(args, "json", False):
            print(json.dumps(failed.result, ensure_ascii=False, indent=1))
        return 1
    except WorkbenchError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"error": exc.message, "hint": exc.hint}, ensure_ascii=False))
        else:
            print(f"错误：{exc.message}\n提示：{exc.hint}", file=sys.stderr)
        return 1
    if getattr(args, "json", False):
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
