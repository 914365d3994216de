"""The openai:<url> backends against a minimal OpenAI-compatible server on 127.0.0.1 (no network)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from workbench import ModelError, Settings, Workbench, make_embedder
from workbench.backends.llm import make_llm

SEEN: list[dict[str, Any]] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _json(self, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        SEEN.append({"path": self.path, "auth": self.headers.get("Authorization"), **request})
        if self.path.endswith("/embeddings"):
            vectors = [[b / 255 for b in hashlib.sha256(t.encode()).digest()[:8]] for t in request["input"]]
            self._json({"data": [{"index": i, "embedding": v} for i, v in enumerate(vectors)], "model": "m"})
        elif request.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in ("共有", "32名", "党员参加。"):
                chunk = {
                    "id": "c",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "m",
                    "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                }
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
        else:
            top = [
                {"token": "是", "logprob": -0.2, "bytes": None},
                {"token": "否", "logprob": -1.8, "bytes": None},
            ]
            self._json(
                {
                    "id": "c",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "m",
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": "是"},
                            "logprobs": {
                                "content": [
                                    {"token": "是", "logprob": -0.2, "bytes": None, "top_logprobs": top}
                                ]
                            },
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
            )


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


def test_embeddings_server(server: str, tmp_path: Path, samples: Path) -> None:
    settings = Settings(
        home=tmp_path, embedder=f"openai:{server}", embed_model="bge-m3", api_key="k", llm="fake"
    )
    embedder = make_embedder(settings)
    assert embedder.dim == 8 and embedder.name == f"openai:{server}#bge-m3"
    assert SEEN[-1]["model"] == "bge-m3" and SEEN[-1]["auth"] == "Bearer k"
    wb = Workbench(settings, embedder=embedder)
    assert wb.ingest([samples], progress=False).added == 6
    assert wb.search("体检率", k=1)[0].title.startswith("松林镇中心幼儿园")


def test_chat_server_streams_and_gives_probabilities(server: str, tmp_path: Path) -> None:
    llm = make_llm(Settings(home=tmp_path, llm=f"openai:{server}", llm_model="qwen2.5-7b"))
    assert list(llm.stream([{"role": "user", "content": "你好"}])) == ["共有", "32名", "党员参加。"]
    assert SEEN[-1]["model"] == "qwen2.5-7b" and SEEN[-1]["stream"] is True
    p = llm.yes_probability([{"role": "user", "content": "是否？"}])
    assert p == pytest.approx(0.832, abs=0.01)  # e^-0.2 / (e^-0.2 + e^-1.8)
    assert SEEN[-1]["logprobs"] is True
    assert (
        SEEN[-1].get("max_completion_tokens", SEEN[-1].get("max_tokens")) == 1
    )  # langchain-openai 1.x renames it


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    llm = make_llm(Settings(home=tmp_path, llm="openai:http://127.0.0.1:9/v1", llm_model="m"))
    with pytest.raises(ModelError, match="LLM 服务器出错"):
        list(llm.stream([{"role": "user", "content": "你好"}]))
    with pytest.raises(ModelError):
        make_embedder(Settings(home=tmp_path, embedder="openai:http://127.0.0.1:9/v1", embed_model="m"))
