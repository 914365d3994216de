"""Login under attack: back-off after failures, the same answer time for unknown names, verifies that do not
stall the server, and no open server on a network address without saying so."""

from __future__ import annotations

import asyncio
import socket
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from workbench import ConfigError, Workbench
from workbench.cli import main
from workbench.ui import Backoff, ClientAddress, Login, _client, is_loopback, load_users, serve


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# (step, seconds to wait after it): "fail" / "ok" is an attempt's outcome, a number moves the clock on.
BACKOFF_STEPS: list[list[tuple[str | float, float]]] = [
    # free=3: the first two failures cost nothing, the third locks for base=1 s, then 2, 4, capped at 4
    [("fail", 0), ("fail", 0), ("fail", 1), (0.5, 0.5), (0.5, 0), ("fail", 2), ("fail", 4), ("fail", 4)],
    # a success clears the name
    [("fail", 0), ("fail", 0), ("fail", 1), (1.0, 0), ("ok", 0), ("fail", 0), ("fail", 0)],
    # failures are forgotten `forget` (10 s) after the lock ends: not at 10.9 s after a 1 s lock, at 12 s after 2 s
    [("fail", 0), ("fail", 0), ("fail", 1), (10.9, 0), ("fail", 2), (12.0, 0), ("fail", 0)],
]


@pytest.mark.parametrize("steps", BACKOFF_STEPS)
def test_backoff(steps: list[tuple[str | float, float]]) -> None:
    clock = Clock()
    backoff = Backoff(free=3, base=1.0, cap=4.0, forget=10.0, clock=clock)
    for step, wait in steps:
        if step == "fail":
            backoff.failed("zhang")
        elif step == "ok":
            backoff.succeeded("zhang")
        else:
            clock.now += float(step)
        assert backoff.wait("zhang") == pytest.approx(wait), (steps, step)
    assert backoff.wait("li") == 0  # keys are independent


def test_backoff_keeps_a_bounded_table() -> None:
    backoff = Backoff(max_keys=3, clock=Clock())
    for i in range(10):
        backoff.failed(f"user{i}")
    assert backoff.failures("user9") == 1 and backoff.failures("user0") == 0
    assert len(backoff._seen) == 3


@pytest.fixture(scope="module")
def users() -> dict[str, str]:
    """A real login's hash (argon2-cffi defaults, as ``load_users`` makes them): for timings."""
    return load_users("zhang:s3cret")


@pytest.fixture(scope="module")
def cheap() -> dict[str, str]:
    """A cheap argon2 hash, for the tests that count attempts rather than time them."""
    from argon2 import PasswordHasher

    return {"zhang": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("s3cret")}


def _login(users: dict[str, str], clock: Clock, **kwargs: Any) -> Login:
    return Login(
        users,
        per_user=Backoff(free=5, base=1.0, cap=60.0, clock=clock),
        per_address=Backoff(free=10, base=1.0, cap=900.0, clock=clock),
        **kwargs,
    )


def test_the_right_password_is_refused_while_locked(cheap: dict[str, str]) -> None:
    clock = Clock()
    login = _login(cheap, clock)
    assert not any(login("zhang", f"wrong{i}") for i in range(30))
    assert not login("zhang", "s3cret")  # locked: not even checked
    clock.now += 60
    assert login("zhang", "s3cret")
    assert login.per_user.failures("zhang") == 0


def test_unknown_names_are_locked_the_same_way(cheap: dict[str, str]) -> None:
    clock = Clock()
    login = _login(cheap, clock)
    for name in ("zhang", "nobody"):
        for i in range(5):
            login(name, f"wrong{i}")
    assert login.per_user.wait("zhang") == login.per_user.wait("nobody") > 0


def test_per_address_back_off_spans_user_names(cheap: dict[str, str]) -> None:
    clock = Clock()
    login = _login(cheap, clock)
    token = _client.set("10.0.0.9")
    try:
        for i in range(10):  # ten names, one try each: no name is locked, the address is
            login(f"user{i}", "wrong")
        assert login.per_user.wait("user0") == 0 and login.per_address.wait("10.0.0.9") > 0
        assert not login("zhang", "s3cret")
    finally:
        _client.reset(token)
    assert login("zhang", "s3cret")  # from another address


def _median_ms(check: Callable[[], object], n: int = 3) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        check()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def test_unknown_and_known_names_take_as_long(users: dict[str, str]) -> None:
    login = _login(users, Clock())
    login.per_user.free = login.per_address.free = 1000  # measure the verify, not the lock
    known = _median_ms(lambda: login("zhang", "wrong"))
    unknown = _median_ms(lambda: login("nobody", "wrong"))
    assert unknown > 10  # an argon2 verify, not a dictionary miss
    assert 1 / 3 < known / unknown < 3, (known, unknown)


def test_verifies_run_off_the_event_loop_a_few_at_a_time(users: dict[str, str]) -> None:
    login = _login(users, Clock(), parallel=1, queue=4)
    login.per_user.free = login.per_address.free = 1000
    running, most = 0, 0
    verify = login._verify

    def counted(user: str, password: str) -> bool:
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            return verify(user, password)
        finally:
            running -= 1

    login._verify = counted  # type: ignore[method-assign]

    async def scenario() -> tuple[list[bool], float]:
        gaps: list[float] = []
        done = asyncio.Event()

        async def ticker() -> None:  # another request's work on the same loop
            last = time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        tick = asyncio.create_task(ticker())
        start = time.perf_counter()
        results = await asyncio.gather(*(login.check_async("zhang", "wrong") for _ in range(6)))
        verify = (time.perf_counter() - start) / 4  # the four admitted ran one after another
        done.set()
        await tick
        return list(results), max(gaps) / verify

    results, worst_gap = asyncio.run(scenario())
    assert not any(results) and most == 1  # one verify at a time; the two over the queue are turned away
    # The loop kept ticking while they ran: run on the loop, a verify would hold it for its whole length.
    assert worst_gap < 0.5, f"the longest stall was {worst_gap:.0%} of a verify"
    assert asyncio.run(login.check_async("zhang", "s3cret"))


def test_the_client_address_reaches_the_login() -> None:
    seen: list[str | None] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(_client.get())

    async def nothing() -> Any:
        return {}

    async def ignore(message: Any) -> None:
        return None

    asyncio.run(ClientAddress(app)({"type": "http", "client": ("192.0.2.7", 5555)}, nothing, ignore))
    assert seen == ["192.0.2.7"] and _client.get() is None


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        *[("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True)],
        *[("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("myhost", False), ("", False)],
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_an_open_network_server_needs_a_login_or_allow_open(
    wb: Workbench, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ConfigError, match="没有设置登录") as err:
        serve(wb, host="0.0.0.0", users={}, block=False)
    assert "--allow-open" in err.value.hint
    assert main(["serve", "--store", str(tmp_path / "s"), "--host", "0.0.0.0"]) == 1
    assert "没有设置登录" in capsys.readouterr().err


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_allow_open_warns_and_the_upload_limit_follows_the_settings(tmp_path: Path) -> None:
    from workbench.ui.jobs import spawn

    env = {
        "WORKBENCH_EMBEDDER": "fake",
        "WORKBENCH_LLM": "fake",
        "WORKBENCH_MAX_FILE_MB": "1",
        "WORKBENCH_AUTH": "",
    }
    seen: list[str] = []
    proc, url = spawn(tmp_path / "store", _port(), env, args=["--host", "0.0.0.0", "--allow-open"], seen=seen)
    try:
        assert any("警告" in line and "无登录" in line for line in seen)
        assert (
            "文件超过上传上限（1 MB）" in httpx.get(url, timeout=10).text
        )  # the Chinese notice is in the page
        big = {"files": ("big.txt", b"x" * (2 * 2**20), "text/plain")}
        assert httpx.post(f"{url}/gradio_api/upload", files=big, timeout=30).status_code == 413
        small = {"files": ("small.txt", "正文".encode(), "text/plain")}
        assert httpx.post(f"{url}/gradio_api/upload", files=small, timeout=30).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
