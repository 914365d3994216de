"""Two logged-in users in a real browser: B sees nothing of A's private upload and cannot download its file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from tests.test_browser import _port, browser  # noqa: F401 (the fixture is used by name)
from workbench.ui import users_line
from workbench.ui.jobs import spawn

pytestmark = pytest.mark.browser
TITLE = "东湖小学2024年科技节活动简报"
BODY = "5月18日，东湖小学举办科技节，展出学生作品326件，机器人社团演示编程作品。"


def _login(chromium: Any, url: str, user: str) -> tuple[Any, Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(f"{user}-pw")
    page.get_by_role("button", name="Login").click()
    page.get_by_role("tab", name="起草").wait_for(timeout=30_000)
    page.get_by_role("tab", name="范文库").click()
    return context, page


def test_a_private_upload_is_invisible_and_unfetchable_for_b(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    cheap = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    users = tmp_path / "users.txt"
    users.write_text(
        "\n".join(
            users_line(u, cheap.hash(f"{u}-pw"), unit) for u, unit in [("a", "东湖小学"), ("b", "西湖小学")]
        ),
        encoding="utf-8",
    )
    gradio_dir = tmp_path / "gradio"
    home = tmp_path / "store"
    env = {"WORKBENCH_EMBEDDER": "fake", "WORKBENCH_LLM": "fake", "GRADIO_TEMP_DIR": str(gradio_dir)}
    proc, url = spawn(home, _port(), env, args=["--users", str(users)])
    try:
        report = tmp_path / f"{TITLE}.txt"
        report.write_text(f"{TITLE}\n{BODY}", encoding="utf-8")
        a_context, a = _login(browser, url, "a")
        with a.expect_response(
            lambda r: r.request.method == "POST" and "/gradio_api/upload" in r.url
        ) as uploaded:
            a.locator("#library-files input[type=file]").set_input_files(str(report))
        [temp_path] = uploaded.value.json()
        assert Path(temp_path).is_relative_to(gradio_dir.resolve())
        a.locator("#library-ingest").click()
        a.get_by_text("新增 1").wait_for(timeout=30_000)
        table = a.locator("#library-table")
        table.get_by_text(TITLE).first.wait_for(timeout=15_000)
        assert "私有" in table.inner_text()
        [saved] = list((home / "uploads" / "by-user" / "a").iterdir())
        # Gradio's copy is gone: nothing under its folder holds the report any more
        assert not any(BODY in p.read_text("utf-8", "ignore") for p in gradio_dir.rglob("*") if p.is_file())

        b_context, b = _login(browser, url, "b")
        b.wait_for_function(  # the samples, the site library, are listed for everyone
            "() => (document.querySelector('#library-table')?.innerText || '').includes('全站')",
            timeout=15_000,
        )
        assert TITLE not in b.locator("#library-table").inner_text()
        b.locator("#library-query textarea").fill("科技节 机器人 编程")
        b.locator("#library-search").click()
        b.locator("#library-hits").wait_for()
        b.wait_for_timeout(1500)
        assert TITLE not in b.locator("#library-hits").inner_text()
        for path in (temp_path, str(saved)):  # Gradio's upload path and the library's own copy
            response = b_context.request.get(f"{url}/gradio_api/file={path}")
            assert response.status in (403, 404) and BODY not in response.text()
        b_context.close()

        a.locator("#library-query textarea").fill("科技节 机器人 编程")
        a.locator("#library-search").click()
        a.locator("#library-hits").get_by_text(TITLE).first.wait_for(timeout=15_000)
        a_context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
