"""The commands around the library: eval, serve, quickstart, hash-password."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..core import Workbench
from ..data import evals_dir, samples_dir
from .common import Failed
from .show import print_hits, print_ingest


def hash_password(args: argparse.Namespace) -> Any:
    import getpass

    from argon2 import PasswordHasher

    from ..ui import users_line

    print(users_line(args.user, PasswordHasher().hash(getpass.getpass("密码：")), args.unit, args.admin))
    return None


def evaluate(wb: Workbench, args: argparse.Namespace) -> Any:
    from ..evaluation.report import html_report
    from ..evaluation.run import run_eval

    result = run_eval(args.config or evals_dir() / "config.toml", wb, quick=args.quick)
    if args.html:
        args.html.write_text(html_report(result), encoding="utf-8")
    if not args.json:
        for key, t in result["thresholds"].items():
            print(f"{'✓' if t['passed'] else '✗'} {key} = {t['value']}（阈值 {t['min']}）")
        print("通过" if result["passed"] else "未通过", f"（{result['seconds']} 秒）")
    if not result["passed"]:
        raise Failed(result)
    return result


def serve(wb: Workbench, args: argparse.Namespace) -> Any:
    from ..ui import load_profiles, load_users
    from ..ui import serve as serve_ui
    from ..ui.memory import limit_arenas

    limit_arenas()  # before the store's threads start: glibc fixes its arena cap once eight exist
    if args.samples and not wb.list_documents():
        print(f"库为空，正在导入示例报告 {samples_dir()} …", file=sys.stderr)
        wb.ingest([samples_dir()], progress=False)
    users = load_users(os.environ.get("WORKBENCH_AUTH", ""), args.users)
    serve_ui(wb, args.host, args.port, users, allow_open=args.allow_open, profiles=load_profiles(args.users))
    return None


def quickstart(wb: Workbench, args: argparse.Namespace) -> Any:
    if not wb.list_documents():
        print(f"库为空，正在导入示例报告 {samples_dir()} …", file=sys.stderr)
        print_ingest(wb.ingest([samples_dir()]))
    print(f"库 {wb.settings.home.resolve()} 共 {len(wb.list_documents())} 篇。检索“{args.query}”：")
    print_hits(wb.search(args.query, 3))
    return None
