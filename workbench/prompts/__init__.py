"""Prompts are package data (``workbench/prompts/*.md``), each declaring its variables; rendering is strict.

A file starts with a header block::

    ---
    variables: doc_type, facts
    ---
    正文，用 {doc_type} 和 {facts} 占位；字面的花括号写成 {{ }}。

The body's placeholders must be exactly the declared variables, and a render with a missing or extra
variable is an error: a typo in a prompt fails a test instead of silently sending "{fatcs}" to the model.
``structures.toml`` holds the one table of document types the single draft template is filled from.
"""

from __future__ import annotations

import hashlib
import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from typing import Any

from ..errors import ConfigError

PROMPTS: Traversable = resources.files(__name__)


class PromptError(ConfigError):
    """A prompt file is malformed, or was rendered with the wrong variables."""


@dataclass(frozen=True)
class Prompt:
    name: str
    variables: frozenset[str]
    body: str

    def render(self, **values: str) -> str:
        given = set(values)
        if given != self.variables:
            missing = sorted(self.variables - given)
            extra = sorted(given - self.variables)
            raise PromptError(f"提示词 {self.name}：缺少变量 {missing}，多余变量 {extra}")
        return self.body.format(**values)

    @property
    def head(self) -> str:
        """The fixed text before the first variable: what every rendering shares (kept in a KV cache)."""
        return self.body.split("{", 1)[0]


def parse(name: str, text: str) -> Prompt:
    if not text.startswith("---\n"):
        raise PromptError(f"提示词 {name} 缺少开头的 --- 变量声明")
    header, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise PromptError(f"提示词 {name} 的变量声明没有以 --- 结束")
    declared: set[str] = set()
    for line in header.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "variables":
            declared = {v.strip() for v in value.split(",") if v.strip()}
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(body) if field is not None}
    except ValueError as exc:
        raise PromptError(f"提示词 {name} 的花括号不成对：{exc}") from exc
    if used != declared:
        raise PromptError(f"提示词 {name}：声明的变量 {sorted(declared)} 与正文使用的 {sorted(used)} 不一致")
    return Prompt(name, frozenset(declared), body.strip() + "\n")


@lru_cache(maxsize=64)
def load(name: str, directory: Traversable = PROMPTS) -> Prompt:
    path = directory / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"找不到提示词文件 {name}.md")
    return parse(name, path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Structure:
    """How the draft prompt names a document type, and the structure it asks for."""

    name: str
    structure: str


@dataclass(frozen=True)
class SectionSpec:
    """One section of a type's outline: its heading ("" for an unheaded paragraph), what it is for, the words
    that send a fact to it, whether it is the default home of facts or must be there at all, and whether it is
    the lead (导语) that takes the fact saying when and what happened."""

    heading: str
    intent: str
    words: tuple[str, ...] = ()
    main: bool = False
    required: bool = False
    lead: bool = False


@dataclass(frozen=True)
class OutlineSpec:
    sections: tuple[SectionSpec, ...]
    needs: tuple[str, ...]


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    return tomllib.loads((PROMPTS / "structures.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def structures() -> dict[str, Structure]:
    return {
        kind: Structure(str(row["name"]), str(row["structure"]))
        for kind, row in _table().items()
        if kind != "outline"
    }


@lru_cache(maxsize=1)
def outlines() -> dict[str, OutlineSpec]:
    """Each document type's sections and needs (structures.toml, [outline.<type>])."""
    out = {}
    for kind, row in _table()["outline"].items():
        sections = tuple(
            SectionSpec(
                str(s.get("heading", "")),
                str(s["intent"]),
                tuple(str(w) for w in s.get("words", ())),
                bool(s.get("main", False)),
                bool(s.get("required", False)),
                bool(s.get("lead", False)),
            )
            for s in row["sections"]
        )
        out[kind] = OutlineSpec(sections, tuple(str(n) for n in row.get("needs", ())))
    return out


def prompt_hash(*names: str) -> str:
    """A short hash of the named prompts' text, to tie a calibrated value to the prompts it was measured with."""
    digest = hashlib.sha256("\n".join(load(n).body for n in names).encode("utf-8"))
    return digest.hexdigest()[:16]


def with_rules(user: str) -> list[dict[str, str]]:
    """Chat messages: the standing system rules (always first and identical, so a local model keeps them in
    its KV cache across drafts, summaries and checks), then the task."""
    return [{"role": "system", "content": load("system").render()}, {"role": "user", "content": user}]


def names(directory: Traversable = PROMPTS) -> list[str]:
    return sorted(p.name[:-3] for p in directory.iterdir() if p.name.endswith(".md"))
