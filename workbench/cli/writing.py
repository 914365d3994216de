"""The writing commands: check, outline, draft, condense (outline and draft also from a 工作要点)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..core import Workbench
from ..errors import InputError
from ..write.export import export
from .common import ids
from .plans import outline_from_file, plan_check
from .show import echo, print_check, print_outline


def check(wb: Workbench, args: argparse.Namespace) -> Any:
    checked = wb.check(
        wb.read_text(args.text, clean=False), [wb.read_text(s) for s in args.source], lines=args.lines
    )
    if not args.json:
        print_check(checked)
    return checked.to_json()


def outline(wb: Workbench, args: argparse.Namespace) -> Any:
    if args.plan:
        args.from_library, args.year = False, None
        plan_outline = wb.plan_outline(plan_check(wb, args), args.unit, args.period)
        if not args.json:
            print_outline(plan_outline.to_json())
        return plan_outline.to_json()
    if args.type is None or args.facts is None:
        raise InputError(
            "缺少 --type 和 --facts", "给出文稿类型和事实文件（或用 --plan 按工作要点生成提纲）。"
        )
    facts = wb.read_text(args.facts, clean=False)
    plan = wb.outline(args.type, facts, args.unit, args.period, ids(args.precedents), ids(args.exclude))
    if not args.json:
        print_outline(plan.to_json())
    return plan.to_json()


def draft_from_plan(wb: Workbench, args: argparse.Namespace) -> Any:
    if args.type not in (None, "工作总结"):
        raise InputError("按工作要点起草只能写工作总结", "去掉 --type，或写 --type 工作总结。")
    args.from_library, args.year = False, None
    against = plan_check(wb, args)
    edited_plan = outline_from_file(args.outline) if args.outline else None  # from outline --plan
    draft = wb.draft_from_plan(
        against, args.unit, args.period, on_token=None if args.json else echo, outline=edited_plan
    )
    if not args.json and draft.check:
        print()
        print_check(draft.check)
    if args.out:
        export(draft.text, args.out)
    return {**draft.to_json(), "plan_check": against.to_json()}


def draft(wb: Workbench, args: argparse.Namespace) -> Any:
    if args.plan:
        return draft_from_plan(wb, args)
    pinned, excluded = ids(args.precedents), ids(args.exclude)
    stream = None if args.json else echo
    edited = outline_from_file(args.outline) if args.outline else None
    if edited is None and (args.type is None or args.facts is None):
        raise InputError(
            "缺少 --type 和 --facts", "给出文稿类型和事实文件，或用 --outline 给出编辑过的提纲。"
        )
    facts = wb.read_text(args.facts, clean=False) if args.facts else ""
    kind = args.type or (edited.type if edited else "")
    drafted = wb.draft(kind, facts, args.unit, args.period, pinned, excluded, on_token=stream, outline=edited)
    if not args.json and drafted.check:
        print()
        print_check(drafted.check)
    if args.out:
        export(drafted.text, args.out)
    return drafted.to_json()


def condense(wb: Workbench, args: argparse.Namespace) -> Any:
    path = Path(args.source)
    text = wb.read_text(path) if path.exists() else wb.document_text(args.source)
    # No title passed: the report's own is read from its text, as the library's metadata does (a file
    # name or a document id is never a title).
    summary = wb.condense(text, args.chars, on_token=None if args.json else echo)
    if not args.json:
        print(f"\n（{summary.chars} 字，原文 {summary.source_chars} 字，{summary.seconds:.1f} 秒）")
        if summary.check:
            print_check(summary.check)
    if args.out:
        export(summary.summary, args.out)
    return summary.to_json()
