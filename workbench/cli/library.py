"""The library's commands: ingest, list, remove, doctor, search."""

from __future__ import annotations

import argparse
from typing import Any

from ..core import Workbench
from ..errors import WorkbenchError
from .common import Failed
from .show import print_hits, print_ingest


def ingest(wb: Workbench, args: argparse.Namespace) -> Any:
    report = wb.ingest(args.paths, progress=not args.json)
    if report.added + report.updated + report.unchanged == 0 and not report.errors and not report.skipped:
        raise WorkbenchError("没有找到可导入的文件", "给出 txt、md、docx、pdf 文件或包含它们的文件夹。")
    if not args.json:
        print_ingest(report)
    # Exit 1, report still printed, when a path is wrong or every file failed; partial success is 0.
    ingested = report.added + report.updated + report.unchanged
    if any(not p.expanduser().exists() for p in args.paths) or (report.errors and not ingested):
        raise Failed(report.to_json())
    return report.to_json()


def list_documents(wb: Workbench, args: argparse.Namespace) -> Any:
    rows = wb.list_documents(args.type, args.year, args.unit)
    if not args.json:
        for d in rows:
            print(f"{d.doc_id}  {d.date or '----':10}  {d.type:4}  {d.title}  ({d.chunks} 段)  {d.path}")
        print(f"共 {len(rows)} 篇")
    return [d.to_json() for d in rows]


def remove(wb: Workbench, args: argparse.Namespace) -> Any:
    removed = wb.remove(args.doc)
    if not args.json:
        print(f"已删除 {removed} 篇")
    return {"removed": removed}


def doctor(wb: Workbench, args: argparse.Namespace) -> Any:
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
        raise Failed(diagnosis.to_json())
    return diagnosis.to_json()


def search(wb: Workbench, args: argparse.Namespace) -> Any:
    hits = wb.search(args.query, args.k, args.type, args.year, args.unit, documents=args.documents)
    if not args.json:
        print_hits(hits)
    return [h.to_json() for h in hits]
