"""LLM backends: one small interface, chosen by a settings string.

``local``            the packaged Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) through llama-cpp-python
``local:qwen-0.5b``  the packaged 0.5B model (fast tests); ``local:/path/model.gguf`` a site's own file
``openai:<url>``     any OpenAI-compatible server, through langchain's chat-model interface
``fake``             deterministic: queued replies and a record of every prompt, for tests and demos

A backend implements ``stream`` (and, where it can do better than parsing, ``yes_probability``); the rest
is derived.
"""

from __future__ import annotations

import math
import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import ConfigError, ModelError

Message = dict[str, str]


class LLM(ABC):
    """Chat completion, streamed, plus the probability of a 是/否 answer for the faithfulness judge."""

    name: str

    @abstractmethod
    def stream(
        self, messages: Sequence[Message], max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        """Yield the reply piece by piece as the model writes it."""

    def complete(self, messages: Sequence[Message], max_tokens: int = 512, temperature: float = 0.2) -> str:
        return "".join(self.stream(messages, max_tokens, temperature))

    def yes_probability(self, messages: Sequence[Message]) -> float:
        """P(是) for a question answered 是 or 否; backends without token probabilities parse the answer."""
        answer = self.complete(messages, max_tokens=2, temperature=0.0).strip()
        return 1.0 if answer.startswith(("是", "yes", "Yes")) else 0.0

    def warm(self, messages: Sequence[Message]) -> None:
        """Prepare for prompts that start like ``messages`` (a local model reads their head into its cache)."""
        del messages

    def count_tokens(self, text: str) -> int:
        """The model's own token count where it has one; cl100k otherwise."""
        from ..text.tokens import count_tokens

        return count_tokens(text)


@dataclass
class FakeLLM(LLM):
    """Replies from a queue (or, when it is empty, the facts section of the prompt, line by line)."""

    replies: deque[str] = field(default_factory=deque)
    probabilities: deque[float] = field(default_factory=deque)
    prompts: list[list[Message]] = field(default_factory=list)
    name: str = "fake"

    def queue(self, *replies: str) -> None:
        self.replies.extend(replies)

    def stream(
        self, messages: Sequence[Message], max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        self.prompts.append([dict(m) for m in messages])
        reply = self.replies.popleft() if self.replies else _echo_facts(messages[-1]["content"])
        for i in range(0, len(reply), 4):  # stream in small pieces, as a model does
            yield reply[i : i + 4]

    def yes_probability(self, messages: Sequence[Message]) -> float:
        self.prompts.append([dict(m) for m in messages])
        return self.probabilities.popleft() if self.probabilities else 0.5


def _echo_facts(prompt: str) -> str:
    """A deterministic stand-in reply made only of the prompt's quoted material (the facts, or the source
    excerpt to condense), so a fake draft or summary is faithful by construction."""
    body = prompt
    for tag in ("事实", "原文摘录", "原文"):
        start, end = prompt.find(f"<{tag}>"), prompt.find(f"</{tag}>")
        if 0 <= start < end:
            body = prompt[start + len(tag) + 2 : end]
            break
    lines = [ln.strip(" -•\t") for ln in body.splitlines() if ln.strip(" -•\t")]
    return "\n".join(lines[:40])


class LocalLLM(LLM):
    """A GGUF model in-process with llama-cpp-python; one instance keeps its KV cache for a shared prefix."""

    def __init__(self, model_path: Path, n_ctx: int = 4096, threads: int = 0) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ModelError(
                "缺少 llama-cpp-python", "运行 bash scripts/install.sh（会从源码编译，约 5 分钟）。"
            ) from exc
        import os

        if not model_path.is_file():
            raise ModelError(f"找不到模型文件 {model_path}", "检查 WORKBENCH_LLM 的路径。")
        try:
            self._llm: Any = Llama(  # Any: its typed-dict message types add nothing here
                model_path=str(model_path),
                n_ctx=n_ctx,
                n_threads=threads or os.cpu_count() or 2,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelError(
                f"无法加载模型 {model_path.name}：{exc}", "文件可能损坏；重新安装模型包。"
            ) from exc
        self.name = f"local:{model_path.name}"
        self._lock = threading.Lock()  # one generation at a time per model instance
        self._yes = self._token_id("是")
        self._no = self._token_id("否")

    def _token_id(self, text: str) -> int:
        ids = self._llm.tokenize(text.encode(), add_bos=False, special=False)
        return int(ids[0])

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode(), add_bos=False, special=False))

    def stream(
        self, messages: Sequence[Message], max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        with self._lock:
            chunks: Any = self._llm.create_chat_completion(
                messages=list(messages),
                max_tokens=max_tokens,
                temperature=temperature,
                repeat_penalty=1.1,
                stream=True,
            )
            for chunk in chunks:
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    yield piece

    @staticmethod
    def _chatml(messages: Sequence[Message]) -> str:
        prompt = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return prompt + "<|im_start|>assistant\n"

    def _read(self, prompt: str) -> None:
        """Evaluate ``prompt`` into the context (caller holds the lock), reusing the longest prefix already in
        the KV cache (the shared system prompt), as create_chat_completion does, instead of reset()."""
        tokens = self._llm.tokenize(prompt.encode(), add_bos=False, special=True)
        prefix = 0
        for a, b in zip(list(self._llm._input_ids), tokens[:-1], strict=False):
            if a != b:
                break
            prefix += 1
        self._llm.n_tokens = prefix
        self._llm.eval(tokens[prefix:])

    def warm(self, messages: Sequence[Message]) -> None:
        """Read the messages' shared head into the KV cache now (~4 s on 2 cores for the system prompt),
        so the first check or draft after start does not pay for it."""
        with self._lock:
            self._read(self._chatml(messages))

    def yes_probability(self, messages: Sequence[Message]) -> float:
        """Softmax over the logits of 是 and 否 at the first answer position (ChatML, as Qwen uses)."""
        with self._lock:
            self._read(self._chatml(messages))
            # llama-cpp-python keeps no logits unless every position's are kept (logits_all); the context
            # still holds the last position's, which is all a one-token answer needs.
            logits = np.ctypeslib.as_array(self._llm._ctx.get_logits(), shape=(self._llm.n_vocab(),))
            yes, no = float(logits[self._yes]), float(logits[self._no])
        top = max(yes, no)
        return math.exp(yes - top) / (math.exp(yes - top) + math.exp(no - top))


class OpenAILLM(LLM):
    """An OpenAI-compatible server through langchain's chat-model interface."""

    def __init__(self, base_url: str, model: str, api_key: str = "") -> None:
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise ModelError("缺少 langchain-openai", "pip install langchain-openai") from exc
        from pydantic import SecretStr

        self._chat = ChatOpenAI(
            base_url=base_url, model=model, api_key=SecretStr(api_key or "none"), max_retries=2, timeout=120
        )
        self.name = f"openai:{base_url}#{model}"

    @staticmethod
    def _lc(messages: Sequence[Message]) -> list[tuple[str, str]]:
        return [(m["role"], m["content"]) for m in messages]

    def stream(
        self, messages: Sequence[Message], max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        try:
            for chunk in self._chat.bind(max_tokens=max_tokens, temperature=temperature).stream(
                self._lc(messages)
            ):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except Exception as exc:  # the client raises many kinds; all mean "the server failed"
            raise ModelError(f"LLM 服务器出错：{exc}", "检查 WORKBENCH_LLM 地址、模型名和密钥。") from exc

    def yes_probability(self, messages: Sequence[Message]) -> float:
        """From the server's logprobs of the first token; a parsed answer where the server gives none."""
        try:
            reply = self._chat.bind(max_tokens=1, temperature=0.0, logprobs=True, top_logprobs=10).invoke(
                self._lc(messages)
            )
        except Exception as exc:
            raise ModelError(f"LLM 服务器出错：{exc}", "检查 WORKBENCH_LLM 地址、模型名和密钥。") from exc
        content = (reply.response_metadata.get("logprobs") or {}).get("content") or []
        if content:
            probs = {t["token"].strip(): math.exp(t["logprob"]) for t in content[0].get("top_logprobs", [])}
            yes, no = probs.get("是", 0.0), probs.get("否", 0.0)
            if yes + no > 0:
                return yes / (yes + no)
        return 1.0 if str(reply.content).strip().startswith("是") else 0.0


_cache: dict[tuple[str, str], LLM] = {}
_cache_lock = threading.Lock()


def make_llm(settings: Settings) -> LLM:
    """The LLM a settings string names; local models are loaded once per process."""
    from .models import PACKAGED, QWEN_15B, assemble

    spec = settings.llm.strip()
    if spec == "fake":
        return FakeLLM()
    if spec.startswith("openai:"):
        if not settings.llm_model:
            raise ConfigError("openai: LLM 需要模型名", "设置 WORKBENCH_LLM_MODEL。")
        return OpenAILLM(spec[len("openai:") :], settings.llm_model, settings.api_key)
    if spec == "local" or spec.startswith("local:"):
        target = spec.partition(":")[2]
        with _cache_lock:
            key = (spec, str(settings.model_dir))
            if key not in _cache:
                if not target:
                    path = assemble(QWEN_15B, settings.model_dir)
                elif target in PACKAGED:
                    path = assemble(PACKAGED[target], settings.model_dir)
                else:
                    path = Path(target).expanduser()
                _cache[key] = LocalLLM(path, settings.n_ctx, settings.threads)
            return _cache[key]
    raise ConfigError(
        f"未知的 LLM 设置：{spec!r}", "可选 local、local:qwen-0.5b、local:<.gguf 路径>、openai:<地址>、fake。"
    )
