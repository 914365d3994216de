"""The same store code against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from workbench import FakeEmbedder, Settings, Workbench

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("chroma run did not start within 30 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ingest_and_search_on_a_server(chroma_url: str, samples: Path, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "a", chroma_url=chroma_url, embedder="fake")
    wb = Workbench(settings, embedder=FakeEmbedder())
    assert wb.ingest([samples]).added == 6
    assert wb.search("体检率", k=1)[0].title.startswith("松林镇中心幼儿园")
    assert not (tmp_path / "a" / "chroma").exists()  # nothing stored locally but caches and the lock

    # A second machine with an empty local home derives its keyword index from the server.
    other = Workbench(
        Settings(home=tmp_path / "b", chroma_url=chroma_url, embedder="fake"), embedder=FakeEmbedder()
    )
    assert len(other.list_documents()) == 6
    assert other.search("入党誓词", k=1, mode="keyword")[0].title.startswith("明川区教育局")
    assert other.remove(other.list_documents()[0].doc_id) == 1
    assert len(wb.list_documents()) == 5


def test_a_bad_server_url_is_a_clear_error(tmp_path: Path) -> None:
    from workbench import StoreError

    with pytest.raises(StoreError) as info:
        Workbench(
            Settings(home=tmp_path, chroma_url="http://127.0.0.1:9", embedder="fake"), embedder=FakeEmbedder()
        ).list_documents()
    assert "Chroma" in info.value.hint
