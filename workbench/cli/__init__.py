"""``workbench ...``: parse arguments, call the Workbench, print text or JSON. Errors become one message.

``parser`` builds the arguments; the runners sit by concern in ``library``, ``writing``, ``plans`` and
``service``; ``show`` prints for people."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..core import Workbench
from ..errors import WorkbenchError
from . import library, service, writing
from .common import Failed, settings
from .parser import build_parser
from .plans import outline_from_file, plan_check_command

__all__ = ["main", "outline_from_file", "run"]

# Each command's runner, called with the Workbench and the parsed arguments; it returns the JSON-able result.
_RUNNERS: dict[str, Callable[[Workbench, argparse.Namespace], Any]] = {
    "ingest": library.ingest,
    "list": library.list_documents,
    "remove": library.remove,
    "doctor": library.doctor,
    "search": library.search,
    "check": writing.check,
    "outline": writing.outline,
    "plan-check": plan_check_command,
    "draft": writing.draft,
    "condense": writing.condense,
    "eval": service.evaluate,
    "serve": service.serve,
    "quickstart": service.quickstart,
}


def run(args: argparse.Namespace) -> Any:
    """Execute one command; returns the JSON-able result."""
    if args.command == "hash-password":
        return service.hash_password(args)
    wb = Workbench(settings(args))
    runner = _RUNNERS.get(args.command)
    if runner is None:
        raise AssertionError(args.command)
    return runner(wb, args)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``workbench`` program: 0 on success, 1 with one message (or the JSON result) on failure."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    try:
        result = run(args)
    except Failed as failed:
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
