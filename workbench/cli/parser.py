"""The command line's arguments: every command, option and help text."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..types import DOC_TYPES


def build_parser() -> argparse.ArgumentParser:
    """The ``workbench`` parser with one sub-command per task."""
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
