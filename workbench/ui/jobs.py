"""Running core calls for the pages: errors as Chinese messages, streaming from a worker thread, and a way
to start `workbench serve` in a child process (tests, benchmarks, a supervisor)."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import gradio as gr

from ..errors import WorkbenchError

T = TypeVar("T")


def friendly(fn: Callable[..., T]) -> Callable[..., T]:
    """Core errors become a Chinese message in the page, never a stack trace."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except WorkbenchError as exc:
            raise gr.Error(f"{exc.message}。{exc.hint}") from exc

    return wrapper


def friendly_stream(fn: Callable[..., Iterator[T]]) -> Callable[..., Iterator[T]]:
    """``friendly`` for streaming handlers: Gradio streams only from a generator function, so the wrapper
    must be one too."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[T]:
        try:
            yield from fn(*args, **kwargs)
        except WorkbenchError as exc:
            raise gr.Error(f"{exc.message}。{exc.hint}") from exc

    return wrapper


def streamed(run: Callable[[Callable[[str], None], Callable[[], bool]], T]) -> Iterator[tuple[str, T | None]]:
    """Run a streaming core call in a worker thread; yield the text so far, then (text, result). Closing the
    generator (the page's 停止 button) sets the cancel flag the core polls, so the model stops too."""
    pieces: queue.Queue[str | None] = queue.Queue()
    stop = threading.Event()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = run(pieces.put, stop.is_set)
        except BaseException as exc:  # handed to the page thread below
            box["error"] = exc
        finally:
            pieces.put(None)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    text = ""
    try:
        while (piece := pieces.get()) is not None:
            text += piece
            while not pieces.empty():  # batch what arrived meanwhile: fewer page updates
                nxt = pieces.get()
                if nxt is None:
                    pieces.put(None)
                    break
                text += nxt
            yield text, None
    finally:
        stop.set()
    worker.join()
    if "error" in box:
        raise box["error"]
    yield text, box["value"]


def spawn(
    home: Path,
    port: int,
    env: dict[str, str] | None = None,
    timeout: float = 90,
    args: Sequence[str] = (),
    seen: list[str] | None = None,
) -> tuple[subprocess.Popen[str], str]:
    """Start ``workbench serve --samples [args]`` on ``port`` and return (process, URL) once it prints its URL;
    the lines it printed before that are appended to ``seen`` (warnings, say)."""
    exe = shutil.which("workbench") or str(Path(sys.executable).with_name("workbench"))
    proc = subprocess.Popen(
        [exe, "serve", "--store", str(home), "--port", str(port), "--samples", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        if seen is not None:
            seen.append(line)
        if line.startswith("Running on http://"):
            threading.Thread(
                target=lambda: [None for _ in proc.stdout or []], daemon=True
            ).start()  # drain logs
            return proc, line.split()[-1]
        if time.monotonic() > deadline:
            break
    proc.kill()
    raise RuntimeError("workbench serve did not print its URL")
