"""The web workbench: ``serve`` starts the Gradio app on the core API, bound to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from ..core import Workbench
from ..errors import ConfigError

MAX_UPLOAD = "50mb"


def load_users(env: str = "", users_file: Path | None = None) -> dict[str, str]:
    """user → argon2 hash, from ``WORKBENCH_AUTH`` (user:password, comma separated; hashed here, in memory)
    and from a ``--users`` file (lines user:argon2-hash, as the hash command prints them)."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    users: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in env.split(","))):
        name, sep, password = pair.partition(":")
        if not sep or not name or not password:
            raise ConfigError("WORKBENCH_AUTH 格式不对", "应为 用户名:密码，多个用逗号分隔。")
        users[name] = hasher.hash(password)
    if users_file is not None:
        try:
            lines = users_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"无法读取用户文件 {users_file}", "每行一个 用户名:argon2哈希。") from exc
        for line in filter(None, (ln.strip() for ln in lines)):
            name, sep, digest = line.partition(":")
            if not sep or not digest.startswith("$argon2"):
                raise ConfigError(f"用户文件 {users_file} 有一行格式不对", "每行一个 用户名:argon2哈希。")
            users[name] = digest
    return users


def authenticator(users: dict[str, str]) -> Callable[[str, str], bool]:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()

    def check(user: str, password: str) -> bool:
        digest = users.get(user)
        if digest is None:
            return False
        try:
            return bool(hasher.verify(digest, password))
        except (VerificationError, InvalidHashError):
            return False

    return check


def serve(
    wb: Workbench,
    host: str = "127.0.0.1",
    port: int = 7860,
    users: dict[str, str] | None = None,
    block: bool = True,
) -> str:
    """Start the app; print ``Running on http://HOST:PORT`` once it answers; block unless told not to."""
    from .app import build

    app = build(wb)
    # Generation jobs share one slot (2 cores: one model at a time); pages and searches have their own.
    app.queue(default_concurrency_limit=4, max_size=64)
    app.launch(
        server_name=host,
        server_port=port,
        auth=authenticator(users) if users else None,
        auth_message="报告写作台：请登录" if users else None,
        prevent_thread_lock=True,
        quiet=True,
        show_error=False,
        max_file_size=MAX_UPLOAD,
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
