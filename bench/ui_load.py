"""20 simultaneous users on one 2-core box: pages and searches must answer within 2 s while drafts queue.

    python -m bench.ui_load [LLM]     # default local:qwen-0.5b, so generation really loads the CPU

Starts `workbench serve` (e5-small, the sample library) on a free loopback port. 5 users submit drafts (the
model slot takes one at a time; the rest wait and see their queue position); 15 users, at the same time,
each load the page and run 4 searches. Bounded in count and time; loopback only.
"""

from __future__ import annotations

import socket
import sys
import threading
import time

import httpx

from .common import RESULTS, percentile, save

FACTS = "2024年5月17日，支部组织28名党员参观城东烈士纪念馆。\n书记王立新带领党员重温入党誓词。"


def main() -> None:
    from gradio_client import Client

    llm = sys.argv[1] if len(sys.argv) > 1 else "local:qwen-0.5b"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    from workbench.ui.jobs import spawn

    proc, url = spawn(RESULTS / "ui-load-lib", port, {"WORKBENCH_LLM": llm, "WORKBENCH_MAX_TOKENS": "120"})
    try:
        Client(url, verbose=False).predict("预热", "全部", "", "", api_name="/search")  # load e5 once
        page_ms: list[float] = []
        search_ms: list[float] = []
        draft_s: list[float] = []
        ranks: list[int] = []
        failures: list[str] = []
        lock = threading.Lock()

        def drafter(i: int) -> None:
            try:
                client = Client(url, verbose=False)
                t0 = time.perf_counter()
                job = client.submit("活动简报", "某校党支部", "2024年5月", FACTS, [], api_name="/draft")
                while not job.done():
                    status = job.status()
                    if status.rank is not None:
                        with lock:
                            ranks.append(int(status.rank))
                    time.sleep(0.5)
                job.result(timeout=600)
                with lock:
                    draft_s.append(time.perf_counter() - t0)
            except Exception as exc:  # counted, not raised: the measurement is how many fail
                with lock:
                    failures.append(f"draft {i}: {exc!r}")

        def reader(i: int) -> None:
            try:
                client = Client(url, verbose=False)
                for q in ("主题党日", "教师培训", "体检率", "招聘新教师"):
                    t0 = time.perf_counter()
                    r = httpx.get(url, timeout=30)
                    r.raise_for_status()
                    t1 = time.perf_counter()
                    client.predict(q, "全部", "", "", api_name="/search")
                    t2 = time.perf_counter()
                    with lock:
                        page_ms.append((t1 - t0) * 1000)
                        search_ms.append((t2 - t1) * 1000)
            except Exception as exc:
                with lock:
                    failures.append(f"reader {i}: {exc!r}")

        threads = [threading.Thread(target=drafter, args=(i,)) for i in range(5)]
        threads += [threading.Thread(target=reader, args=(i,)) for i in range(15)]
        start = time.perf_counter()
        for t in threads:
            t.start()
            time.sleep(0.05)
        for t in threads:
            t.join(timeout=900)
        save(
            "ui-load",
            {
                "llm": llm,
                "users": 20,
                "drafters": 5,
                "readers": 15,
                "page_ms_p50": round(percentile(page_ms, 0.5), 1),
                "page_ms_p95": round(percentile(page_ms, 0.95), 1),
                "page_ms_max": round(max(page_ms), 1),
                "search_ms_p50": round(percentile(search_ms, 0.5), 1),
                "search_ms_p95": round(percentile(search_ms, 0.95), 1),
                "search_ms_max": round(max(search_ms), 1),
                "max_queue_position_seen": max(ranks) if ranks else None,
                "drafts_done": len(draft_s),
                "draft_seconds_max": round(max(draft_s), 1) if draft_s else None,
                "failures": failures,
                "seconds": round(time.perf_counter() - start, 1),
                "target_ms": 2000,
            },
        )
    finally:
        proc.terminate()
        proc.wait(timeout=15)


if __name__ == "__main__":
    main()
