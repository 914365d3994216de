"""The web workbench: ``serve`` starts the Gradio app on the core API, bound to 127.0.0.1 unless told otherwise.

Login is the one door to the library when the app is reachable from other machines, so it is hardened here:
back-off per user name and per client address after failed attempts, the same argon2 cost for unknown and
known names (names cannot be probed by timing), and verifies run off the event loop, a few at a time, so a
burst of logins cannot stall other users' pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import secrets
import sys
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

import httpx

from ..core import Workbench
from ..errors import ConfigError, WorkbenchError
from ..types import Viewer
from .memory import keep_releasing, limit_arenas

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

# The address of the request being served. Gradio's auth callback gets only (user, password), so the
# ``ClientAddress`` middleware puts the address here; behind a proxy it is the proxy's (uvicorn rewrites it from
# X-Forwarded-For only for proxies it trusts, 127.0.0.1 by default).
_client: ContextVar[str | None] = ContextVar("workbench_client", default=None)


USERS_LINE = "每行一个 用户名:argon2哈希，可再跟 :unit=单位名 和 :admin"


def load_users(env: str = "", users_file: Path | None = None) -> dict[str, str]:
    """user → argon2 hash, from ``WORKBENCH_AUTH`` (user:password, comma separated; hashed here, in memory)
    and from a ``--users`` file (lines user:argon2-hash[:unit=…][:admin], as the hash command prints them)."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    users: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in env.split(","))):
        name, sep, password = pair.partition(":")
        if not sep or not name or not password:
            raise ConfigError("WORKBENCH_AUTH 格式不对", "应为 用户名:密码，多个用逗号分隔。")
        users[name] = hasher.hash(password)
    users.update({name: digest for name, (digest, _) in _users_file(users_file).items()})
    return users


def load_profiles(users_file: Path | None = None) -> dict[str, Viewer]:
    """user → who they are in the library (unit, admin flag), from the ``--users`` file. Users of
    ``WORKBENCH_AUTH`` have no unit and are not admins."""
    return {name: viewer for name, (_, viewer) in _users_file(users_file).items()}


def users_line(name: str, digest: str, unit: str = "", admin: bool = False) -> str:
    """One line of the users file (what ``workbench hash-password`` prints)."""
    if ":" in name or ":" in unit or not name.strip():
        raise ConfigError("用户名和单位名不能为空，也不能含冒号“:”")
    return ":".join([name, digest] + ([f"unit={unit}"] if unit else []) + (["admin"] if admin else []))


def _users_file(users_file: Path | None) -> dict[str, tuple[str, Viewer]]:
    if users_file is None:
        return {}
    try:
        lines = users_file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"无法读取用户文件 {users_file}", USERS_LINE + "。") from exc
    users: dict[str, tuple[str, Viewer]] = {}
    for number, line in enumerate((ln.strip() for ln in lines), 1):
        if not line or line.startswith("#"):
            continue
        name, _, rest = line.partition(":")
        digest, *extra = rest.split(":")  # an argon2 hash holds no colon
        unit = [e.removeprefix("unit=") for e in extra if e.startswith("unit=")]
        if not name or not digest.startswith("$argon2") or len(unit) + extra.count("admin") != len(extra):
            raise ConfigError(f"用户文件 {users_file} 第 {number} 行格式不对", USERS_LINE + "。")
        users[name] = (digest, Viewer(name, unit[0] if unit else "", "admin" in extra))
    return users


@dataclass
class Backoff:
    """Failed logins per key (a user name, an address) and the lock they earn: none for the first ``free``
    failures, then ``base`` seconds, doubling with each further failure up to ``cap``. A key is forgotten
    ``forget`` seconds after its lock ends. Pure bookkeeping with an injected clock, so it is table-tested."""

    free: int = 5
    base: float = 1.0
    cap: float = 60.0
    forget: float = 900.0
    max_keys: int = 10_000  # an attacker spraying names or addresses cannot grow it without bound
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, tuple[int, float]] = field(default_factory=dict, repr=False)  # key → (fails, last)

    def lock_after(self, failures: int) -> float:
        """The lock, in seconds, that ``failures`` consecutive failures earn."""
        return 0.0 if failures < self.free else min(self.cap, self.base * 2 ** (failures - self.free))

    def failures(self, key: str) -> int:
        count, last = self._seen.get(key, (0, 0.0))
        if count and self.clock() >= last + self.lock_after(count) + self.forget:
            del self._seen[key]
            return 0
        return count

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        count = self.failures(key)
        if not count:
            return 0.0
        return max(0.0, self._seen[key][1] + self.lock_after(count) - self.clock())

    def failed(self, key: str) -> float:
        """Count a failure; return the lock it earns (0 while under ``free``)."""
        count = self.failures(key) + 1
        self._seen.pop(key, None)  # re-insert: the dict stays ordered by last failure, oldest first
        self._seen[key] = (count, self.clock())
        while len(self._seen) > self.max_keys:
            del self._seen[next(iter(self._seen))]
        return self.lock_after(count)

    def succeeded(self, key: str) -> None:
        self._seen.pop(key, None)


class Login:
    """The password check behind the login form. Calling it checks synchronously (tests, scripts);
    ``check_async`` is what Gradio gets: Gradio awaits a coroutine auth function on its event loop but calls
    a plain one right there, blocking every other request for the whole argon2 verify."""

    def __init__(
        self,
        users: dict[str, str],
        per_user: Backoff | None = None,
        per_address: Backoff | None = None,
        parallel: int = 1,
        queue: int = 16,
    ) -> None:
        from argon2 import PasswordHasher, extract_parameters
        from argon2.exceptions import InvalidHashError

        self.users = dict(users)
        # A lock per name can be set off by anyone who knows the name, so it is kept short; an address
        # gets more tries (an office behind one NAT) and a much longer lock.
        self.per_user = per_user or Backoff(free=5, base=1.0, cap=60.0)
        self.per_address = per_address or Backoff(free=10, base=1.0, cap=900.0)
        try:  # the decoy costs what a real user's hash costs: same argon2 parameters
            sample = next(iter(self.users.values()), "")
            self._hasher = PasswordHasher.from_parameters(extract_parameters(sample))
        except (InvalidHashError, ValueError):
            self._hasher = PasswordHasher()
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))
        self._book = threading.Lock()  # the back-off tables are shared by the event loop and threads
        self._slots: asyncio.Semaphore | None = None
        self._parallel = parallel
        self._queue = queue
        self._waiting = 0

    def __call__(self, user: str, password: str) -> bool:
        address = _client.get()
        if not self._admitted(user, address):
            return False
        return self._settle(user, address, self._verify(user, password))

    async def check_async(self, user: str, password: str) -> bool:
        """The same check for the login route: the verify runs in a worker thread (argon2-cffi releases
        the GIL), at most ``parallel`` at once (2 cores: a burst must not starve the model or the pages)."""
        address = _client.get()
        if not self._admitted(user, address):
            return False
        if self._waiting >= self._queue:
            log.warning("登录请求过多（%d 个在排队），拒绝用户 %r（地址 %s）", self._waiting, user, address)
            return False
        self._slots = self._slots or asyncio.Semaphore(self._parallel)
        self._waiting += 1
        try:
            async with self._slots:
                # failures may have piled up while this one waited: look again before paying for a verify
                if not self._admitted(user, address):
                    return False
                ok = await asyncio.to_thread(self._verify, user, password)
        finally:
            self._waiting -= 1
        return self._settle(user, address, ok)

    def _admitted(self, user: str, address: str | None) -> bool:
        # Names that do not exist are tracked the same way, so a lock says nothing about whether one does.
        with self._book:
            wait = max(self.per_user.wait(user), self.per_address.wait(address) if address else 0.0)
        if wait > 0:
            log.info("登录被暂缓：用户 %r，地址 %s，还需等待 %.0f 秒", user, address, wait)
        return wait <= 0

    def _verify(self, user: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        digest = self.users.get(user)
        try:  # an unknown name is checked against the decoy: the answer takes as long as for a real one
            return bool(self._hasher.verify(digest or self._decoy, password)) and digest is not None
        except (VerificationError, InvalidHashError):
            return False

    def _settle(self, user: str, address: str | None, ok: bool) -> bool:
        with self._book:
            if ok:
                self.per_user.succeeded(user)  # the address keeps its count: one good login must not reset it
                return True
            user_lock = self.per_user.failed(user)
            address_lock = self.per_address.failed(address) if address else 0.0
        log.info("登录失败：用户 %r，地址 %s", user, address)
        if user_lock or address_lock:
            log.warning(
                "登录连续失败：用户 %r 暂停 %.0f 秒，地址 %s 暂停 %.0f 秒",
                user,
                user_lock,
                address,
                address_lock,
            )
        return False


def authenticator(users: dict[str, str]) -> Login:
    """The login check for ``users`` (user → argon2 hash); see ``Login``."""
    return Login(users)


class ClientAddress:
    """ASGI middleware: puts the caller's address where ``Login`` can read it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") if scope["type"] == "http" else None
        token = _client.set(client[0] if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            _client.reset(token)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only. A name other than localhost may resolve to
    anything, so it counts as open."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# Gradio's upload errors are English and fixed in its frontend (checked in the browser before sending, and a
# 413 from the server when that is bypassed); this rewrites them in the page wherever they appear.
_UPLOAD_NOTICE = """<script>
(() => {
  const say = "文件超过上传上限（LIMIT MB），请压缩或拆分后再上传";
  const english = /File\\(s\\) exceed the maximum allowed size of [^:]*:?\\s*(.*)|File size exceeded maximum allowed size of \\d+ bytes\\.?/;
  const fix = (root) => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = root.nodeType === 3 ? root : walk.nextNode(); n; n = walk.nextNode()) {
      const m = n.data.match(english);
      if (m) n.data = n.data.replace(english, m[1] ? `${say}：${m[1]}` : `${say}。`);
    }
  };
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "characterData") fix(c.target);
      else c.addedNodes.forEach((n) => { if (/allowed size/.test(n.textContent || "")) fix(n); });
    }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
})();
</script>"""


def _warm(wb: Workbench) -> None:
    # A missing or broken model is reported, in Chinese, by the first request that needs it.
    with contextlib.suppress(WorkbenchError):
        wb.warm()


def serve(
    wb: Workbench,
    host: str = "127.0.0.1",
    port: int = 7860,
    users: dict[str, str] | None = None,
    block: bool = True,
    allow_open: bool = False,
    profiles: dict[str, Viewer] | None = None,
) -> str:
    """Start the app; print ``Running on http://HOST:PORT`` once it answers; block unless told not to.
    Without login it binds to a loopback address only, unless ``allow_open`` (then it warns). With login,
    each user sees their own library (``profiles``: their unit and admin flag; see ``load_profiles``)."""
    from starlette.middleware import Middleware

    from .app import build

    if not users and not is_loopback(host):
        if not allow_open:
            raise ConfigError(
                f"没有设置登录，不能在 {host} 上启动：同一网络里的任何人都能打开写作台、读取和改动范文库",
                "用 WORKBENCH_AUTH=用户名:密码 或 --users 用户文件设置登录；确需无登录开放，请加 --allow-open。",
            )
        print(
            f"警告：写作台在 {host}:{port} 上无登录开放，能访问这个地址的人都能读取和改动范文库。",
            file=sys.stderr,
            flush=True,
        )
    # A server runs for weeks: freed memory goes back to the system instead of piling up in glibc's arenas.
    limit_arenas()
    keep_releasing()
    app = build(wb, profiles or {})
    # The model loads and reads its standing rules while the page opens, not on the first request.
    threading.Thread(target=_warm, args=(wb,), name="warm", daemon=True).start()
    # Generation jobs share one slot (2 cores: one model at a time); pages and searches have their own.
    app.queue(default_concurrency_limit=4, max_size=64)
    login = authenticator(users) if users else None
    app.launch(
        server_name=host,
        server_port=port,
        # Gradio's /login awaits a coroutine function, though the hint names a plain one
        auth=cast(Callable[[str, str], bool], login.check_async) if login else None,
        auth_message="报告写作台：请登录（连续输错几次后需稍候再试）" if users else None,
        prevent_thread_lock=True,
        quiet=True,
        show_error=False,
        max_file_size=wb.settings.max_bytes,  # the same limit the library enforces on what it reads
        head=_UPLOAD_NOTICE.replace("LIMIT", f"{wb.settings.max_file_mb:g}"),
        app_kwargs={"middleware": [Middleware(ClientAddress)]},
        footer_links=[],
        ssr_mode=False,
        mcp_server=False,
    )
    url = f"http://{host}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    print(f"Running on {url}", flush=True)
    if block:
        app.block_thread()
    return url
