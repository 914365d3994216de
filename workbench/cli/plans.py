"""The 工作要点 commands' shared part: read a plan, its facts and mapping, check; an edited outline file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..core import Workbench
from ..errors import InputError
from .show import print_plan_check


def plan_check(wb: Workbench, args: argparse.Namespace) -> Any:
    """plan-check's and draft --plan's shared part: read the plan, facts and mapping, then check."""
    path = Path(args.plan)
    plan = wb.read_text(path) if path.exists() else wb.document_text(args.plan)
    if args.facts is None and not args.from_library:
        raise InputError(
            "没有给出事实", "用 --facts 给出事实文件（每行一条），或用 --from-library 从库中取材料。"
        )
    facts = wb.read_text(args.facts, clean=False) if args.facts else ""
    mapping = read_mapping(args.mapping) if args.mapping else None
    with ProgressBar() as progress:
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


class ProgressBar:
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


def read_mapping(path: Path) -> dict[str, str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"无法读取对应关系文件 {path}：{exc}", '请写成 JSON：{"事实原文或序号": "要点编号" 或 null}。'
        ) from exc
    if not isinstance(data, dict):
        raise InputError("对应关系文件应是一个 JSON 对象", '例如 {"3": "5", "台风停课两天": null}。')
    return {str(k): None if v is None else str(v) for k, v in data.items()}


def outline_from_file(path: Path) -> Any:
    """An edited outline file; unreadable files are a clear error (nothing is written)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"无法读取提纲文件 {path}：{exc}", "请给出 workbench outline --json 写出的文件。"
        ) from exc
    return Workbench.load_outline(text)


def plan_check_command(wb: Workbench, args: argparse.Namespace) -> Any:
    checked_plan = plan_check(wb, args)
    if args.table:
        wb.export_plan_table(checked_plan, args.table)
    if not args.json:
        print_plan_check(checked_plan.to_json())
    return checked_plan.to_json()
