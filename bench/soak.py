"""Soak: 20 logged-in users on one loopback server for 10 minutes, searching, drafting and uploading.

    flock /work/cpu.lock python -m bench.soak [--minutes 10] [--users 20]

Starts `workbench serve --users FILE` (the fake LLM and the fake embedder: the soak measures the server, its
store and its memory, not a model) on a free loopback port with the sample library, and drives it over HTTP the
way the page does (gradio_client: login, then the page's own endpoints). Each user, in a loop with a short
pause: searches (45 %), lists the library (10 %), drafts (20 %) or uploads a report of its own (25 %); one
upload in ten is hostile (a docx bomb, a zip of bombs, a file of NUL bytes, an encrypted PDF, built by the
builders of tests/test_hostile_files.py). Users are in 4 units and share some uploads with their unit or
everyone. Each user keeps at most ``KEEP`` uploads, deleting the oldest (as people do): the library stays the
size of a real one, so a memory rise means a leak, not a bigger library (Chroma's memory follows the number of
documents: about 0.1 MB each, measured on chromadb 1.5).

Reports requests and latencies per kind, failed legitimate requests (must be 0), the server's RSS every 10 s
(flat: the last minute's median within 10 % of the second minute's), and whether every legitimate upload is
listed for its owner at the end (nothing lost), no deleted or hostile one is, and ``uploads/`` holds exactly the
kept files. Exit 1 when any of these fails.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import RESULTS, machine, percentile

UNITS = ["东湖小学", "西湖小学", "城南中学", "实验幼儿园"]
QUERIES = ["主题党日", "教师培训", "体检率", "招聘新教师", "读书节 开幕式", "安全教育 演练", "课后服务"]
FACTS = "2024年5月17日，支部组织28名党员参观城东烈士纪念馆。\n书记王立新带领党员重温入党誓词。"
MIX = [("search", 45), ("listing", 10), ("draft", 20), ("upload", 25)]
MB = 2**20
KEEP = 8  # uploads each user keeps; older ones are deleted
NO_OUTLINE = {
    "headers": ["顺序", "标题", "要写什么", "事实编号"],
    "data": [],
}  # draft without an edited outline


@dataclass
class Tally:
    """What every user did, shared by their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failed: list[str] = field(default_factory=list)  # legitimate requests that failed
    hostile: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # outcome → count
    uploaded: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # user → kept titles
    deleted: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # user → deleted titles

    def took(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.seconds[kind].append(seconds)


def _hostile_files(folder: Path) -> list[Path]:
    """The hostile uploads, built once (the builders the hostile-file tests use)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.test_hostile_files import _docx_bomb, _pdf, _zip

    folder.mkdir(parents=True, exist_ok=True)
    nul = folder / "全是零字节.txt"
    nul.write_bytes(bytes(MB))
    return [
        _docx_bomb(folder / "膨胀炸弹.docx", 300 * MB),
        _zip(folder / "一包炸弹.zip", {f"m{i}.txt": 40 * MB for i in range(25)}, level=9),
        nul,
        _pdf(folder / "加密文件.pdf", "secret"),
    ]


def _users_file(path: Path, n: int) -> dict[str, str]:
    from argon2 import PasswordHasher

    from workbench.ui import users_line

    hasher = PasswordHasher()  # the defaults a real users file has: logins cost what they really cost
    users = {f"user{i:02d}": f"pw-{i}-{random.randrange(10**6)}" for i in range(n)}
    lines = [users_line(u, hasher.hash(p), UNITS[i % len(UNITS)]) for i, (u, p) in enumerate(users.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return users


def _rss_mb(pid: int) -> float:
    """Resident memory of the server and its children, in MB (from /proc: no extra dependency)."""
    pids = {pid}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) in pids:
            pids.add(int(stat.parent.name))
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _user(
    name: str, password: str, url: str, deadline: float, tally: Tally, hostile: list[Path], work: Path
) -> None:
    from gradio_client import Client, handle_file

    rng = random.Random(name)
    try:
        t0 = time.perf_counter()
        client = Client(url, auth=(name, password), verbose=False)
        tally.took("login", time.perf_counter() - t0)
    except Exception as exc:  # counted, not raised: the soak measures how many fail
        with tally.lock:
            tally.failed.append(f"{name} login: {exc!r}")
        return
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    seq = 0
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        bad = kind == "upload" and rng.random() < 0.1
        t0 = time.perf_counter()
        try:
            if kind == "search":
                client.predict(rng.choice(QUERIES), "全部", "", "", api_name="/search")
            elif kind == "listing":
                client.predict("全部", "", "", api_name="/listing")
            elif kind == "draft":
                text = client.predict(
                    "活动简报", UNITS[0], "2024年5月", FACTS, [], [], NO_OUTLINE, api_name="/draft"
                )
                if not str(text[0]).strip():
                    raise RuntimeError("empty draft")
            elif bad:
                kind = "upload (hostile)"
                _upload_hostile(client, rng.choice(hostile), tally)
            else:
                seq += 1
                title = f"{name}第{seq}期工作简报"
                path = work / name / f"{title}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(
                    f"{title}\n{name}所在学校第{seq}次开展主题活动，参加师生{100 + seq}人，"
                    f"发放材料{rng.randrange(50, 900)}份，活动编号{rng.randrange(10**9)}。\n",
                    encoding="utf-8",
                )
                share = rng.choice(["private", "private", "unit", "all"])
                report = client.predict([handle_file(str(path))], share, api_name="/ingest")
                if "新增 1" not in str(report[0]):
                    raise RuntimeError(f"not added: {report[0]!r}")
                with tally.lock:
                    tally.uploaded[name].append(title)
                tally.took(kind, time.perf_counter() - t0)
                if len(tally.uploaded[name]) > KEEP:
                    kind, t0 = "delete", time.perf_counter()
                    _delete_oldest(client, name, tally)
            tally.took(kind, time.perf_counter() - t0)
        except Exception as exc:
            with tally.lock:
                tally.failed.append(f"{name} {kind}: {exc!r}"[:300])
        time.sleep(rng.uniform(0.2, 1.0))


def _delete_oldest(client: Any, name: str, tally: Tally) -> None:
    """Delete the user's oldest upload through the page: look its id up in the listing, then delete it."""
    oldest = tally.uploaded[name][0]
    rows = client.predict("全部", "", "", api_name="/listing")["data"]
    [doc_id] = [r[0] for r in rows if r[1] == oldest and r[6] == name]
    said = str(client.predict(doc_id, api_name="/delete"))
    if "已删除 1 篇" not in said:
        raise RuntimeError(f"delete {oldest}: {said!r}")
    with tally.lock:
        tally.uploaded[name].pop(0)
        tally.deleted[name].append(oldest)


def _upload_hostile(client: Any, path: Path, tally: Tally) -> None:
    """A hostile upload must be refused with a Chinese line, and the server must live on."""
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    try:
        report = str(client.predict([handle_file(str(path))], "private", api_name="/ingest")[0])
    except AppError as exc:  # a gr.Error: the page shows the message
        outcome = "refused (error message)" if any("\u4e00" <= c <= "\u9fff" for c in str(exc)) else "raw"
    else:
        outcome = (
            "refused (report line)" if "新增 0" in report and ("✗" in report or "跳过" in report) else report
        )
    with tally.lock:
        tally.hostile[f"{path.suffix} {outcome[:80]}"] += 1
    if outcome.startswith("refused") is False:
        raise RuntimeError(f"hostile upload {path.name} not refused: {outcome[:200]}")


def _lost(url: str, users: dict[str, str], tally: Tally, uploads: Path) -> list[str]:
    """Every kept upload listed for its owner and nothing else of theirs (no deleted or hostile one), and the
    owner's uploads folder holds exactly as many files."""
    from gradio_client import Client

    problems = []
    for name, password in users.items():
        rows = Client(url, auth=(name, password), verbose=False).predict("全部", "", "", api_name="/listing")
        mine = sorted(r[1] for r in rows["data"] if r[6] == name)
        if mine != sorted(tally.uploaded[name]):
            missing = set(tally.uploaded[name]) - set(mine)
            problems.append(
                f"{name}: kept {len(tally.uploaded[name])}, listed {len(mine)}, missing {missing}"
            )
        folder = uploads / "by-user" / name
        files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
        if len(files) != len(tally.uploaded[name]):
            problems.append(
                f"{name}: kept {len(tally.uploaded[name])} uploads, {len(files)} files in {folder}"
            )
    return problems


def _flat(samples: list[tuple[float, float]]) -> tuple[float, float, bool]:
    """(2nd-minute median, last-minute median, within 10 %)."""
    end = samples[-1][0]
    second = [mb for t, mb in samples if 60 <= t < 120] or [mb for _, mb in samples]
    last = [mb for t, mb in samples if t >= end - 60]
    a, b = statistics.median(second), statistics.median(last)
    return a, b, abs(b - a) <= 0.1 * a


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--mix", default="", help="e.g. search=1,upload=0 (to find what memory follows)")
    args = parser.parse_args()
    for part in filter(None, args.mix.split(",")):
        kind, _, weight = part.partition("=")
        MIX[[k for k, _ in MIX].index(kind)] = (kind, int(weight))

    from workbench.ui.jobs import spawn

    work = Path(tempfile.mkdtemp(prefix="workbench-soak-"))
    hostile = _hostile_files(work / "hostile")
    users = _users_file(work / "users.txt", args.users)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {"WORKBENCH_EMBEDDER": "fake", "WORKBENCH_LLM": "fake", "GRADIO_TEMP_DIR": str(work / "gradio")}
    proc, url = spawn(work / "store", port, env, args=["--users", str(work / "users.txt")])
    tally = Tally()
    rss: list[tuple[float, float]] = []
    try:
        start = time.monotonic()
        deadline = start + args.minutes * 60
        threads = []
        for name, password in users.items():
            t = threading.Thread(target=_user, args=(name, password, url, deadline, tally, hostile, work))
            t.start()
            threads.append(t)
            time.sleep(0.25)  # users arrive over 5 s, as a school's staff would, not in one instant
        while any(t.is_alive() for t in threads):
            rss.append((time.monotonic() - start, _rss_mb(proc.pid)))
            print(f"  {rss[-1][0]:5.0f} s  RSS {rss[-1][1]:.0f} MB  failed {len(tally.failed)}", flush=True)
            for t in threads:
                t.join(timeout=max(0.0, 10 - (time.monotonic() - start - rss[-1][0])))
        rss.append((time.monotonic() - start, _rss_mb(proc.pid)))
        alive = proc.poll() is None
        lost = _lost(url, users, tally, work / "store" / "uploads") if alive else ["server died"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    second, last, flat = _flat(rss)
    leftovers = [
        p for p in (work / "gradio").rglob("*") if p.is_file() and p.suffix in {".txt", ".docx", ".zip"}
    ]
    result = {
        "machine": machine(),
        "minutes": args.minutes,
        "users": args.users,
        "backends": "fake LLM, fake embedder",
        "requests": {k: len(v) for k, v in sorted(tally.seconds.items())},
        "latency_s": {
            k: {"p50": round(percentile(v, 0.5), 3), "p95": round(percentile(v, 0.95), 3)}
            for k, v in sorted(tally.seconds.items())
        },
        "failed_legitimate": len(tally.failed),
        "failures": tally.failed[:20],
        "hostile_outcomes": dict(tally.hostile),
        "rss_mb": [round(mb) for _, mb in rss],
        "rss_second_minute_median_mb": round(second),
        "rss_last_minute_median_mb": round(last),
        "rss_flat": flat,
        "uploads_kept": sum(len(v) for v in tally.uploaded.values()),
        "uploads_deleted": sum(len(v) for v in tally.deleted.values()),
        "lost": lost,
        "gradio_leftovers": len(leftovers),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    total = sum(result["requests"].values())
    print(f"soak: {args.users} users × {args.minutes:g} min on {result['machine']} ({result['backends']})")
    for k, n in result["requests"].items():
        lat = result["latency_s"][k]
        print(f"  {k:18s} {n:6d} requests   p50 {lat['p50']:.3f} s   p95 {lat['p95']:.3f} s")
    print(f"  total {total} requests, {total / (args.minutes * 60):.1f}/s")
    print(f"  failed legitimate requests: {len(tally.failed)}")
    for f in tally.failed[:10]:
        print(f"    {f}")
    print(f"  hostile uploads: {dict(tally.hostile)}")
    print(
        f"  RSS: 2nd-minute median {second:.0f} MB, last-minute median {last:.0f} MB, ratio {last / second:.3f}"
    )
    print(f"  memory flat (within 10 %): {flat}")
    print(
        f"  legitimate uploads {result['uploads_kept'] + result['uploads_deleted']} "
        f"({result['uploads_deleted']} deleted by their owners, {result['uploads_kept']} kept); "
        f"lost or wrong: {lost or 'none'}"
    )
    print(f"  uploads left in Gradio's folder: {len(leftovers)}")
    ok = not tally.failed and flat and not lost and alive
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
