"""Precedent text quoted as data in a prompt: escaped so it cannot close its quote, and screened for lines
that talk to the model instead of reporting work.

The prompt marks a precedent as ``<范文 编号="1" 标题="…">…</范文>``. A library document is untrusted text
(anyone who can add a file to the library writes it), so everything quoted is escaped:

- ``& < > "`` become entities, as in HTML: a title cannot end its attribute or its tag, and a chat-template
  token such as ``<|im_start|>`` in the text never reaches the tokenizer as one.
- Brackets whose only use is as angle brackets (‹ › ＜ ＞ ﹤ ﹥ ⟨ ⟩ 〈 〉 « » ˂ ˃) are escaped like ``< >``:
  to a model ``‹/范文›`` reads as the closing tag.
- The Chinese title marks 《 》 〈 〉 are ordinary in reports (《通知》, 《关于〈办法〉的说明》), so they stay,
  except where they wrap a slash or a prompt tag name (``《/范文》``, ``〈事实〉``): that is a forged tag.
- Invisible format characters (zero-width, bidi overrides) are dropped: they hide a forged tag from the
  patterns above and from the user reading the prompt, and carry nothing a report needs.

Instruction-like lines (``忽略以上要求``, ``你现在是``, ``【系统】``, "ignore previous instructions") are
replaced by a placeholder before the model sees them, and reported, so the user learns which precedent had one.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

PLACEHOLDER = "（此行含指令性文字，已略去）"
TITLE_PLACEHOLDER = "（标题含指令性文字，已略去）"

# Angle-bracket look-alikes with no use in a Chinese report: always escaped like < and >. Written as escapes
# because several of them cannot be told apart from the title marks below by eye.
_ANGLE_OPEN = "\u2039\uff1c\ufe64\u27e8\u2329\u00ab\u02c2\u1438"  # ‹ ＜ ﹤ ⟨ 〈 « ˂ ᐸ
_ANGLE_CLOSE = "\u203a\uff1e\ufe65\u27e9\u232a\u00bb\u02c3\u1433"  # › ＞ ﹥ ⟩ 〉 » ˃ ᐳ
_ANGLES = str.maketrans({c: "&lt;" for c in _ANGLE_OPEN} | {c: "&gt;" for c in _ANGLE_CLOSE})

# Title marks that are ordinary text, unless they wrap a slash or one of the prompt's tag names.
_TAG_WORDS = ("范文", "事实", "系统", "用户", "助手", "指令", "system", "user", "assistant", "instruction")
_SLASH = "/\uff0f\\\uff3c\u2044\u2215"  # / ／ \ ＼ ⁄ ∕
_FORGED = re.compile(
    r"[\u300a\u3008]\s*(?:["
    + re.escape(_SLASH)
    + r"]|(?:"
    + "|".join(r"\s*".join(w) for w in _TAG_WORDS)
    + r"))"
    r"(?:[^\u300a\u300b\u3008\u3009\n]{0,60}?[\u300b\u3009])?",
    re.IGNORECASE,
)


def _drop_invisible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _unforge(match: re.Match[str]) -> str:
    inner = match.group(0)
    close = inner[-1] in "\u300b\u3009"  # 》 〉
    return "&lt;" + inner[1 : -1 if close else None] + ("&gt;" if close else "")


def quote_text(text: str) -> str:
    """``text`` made safe to sit inside a quoted block or a double-quoted attribute of the prompt."""
    text = escape(_drop_invisible(text), quote=True).replace("&#x27;", "'")  # ' closes nothing here
    return _FORGED.sub(_unforge, text.translate(_ANGLES))


def quote_attribute(text: str) -> str:
    """``quote_text`` on one line: a line break in an attribute would start a line of its own."""
    return quote_text(" ".join(text.split()))


# What addresses the model rather than reports work. Kept narrow, because a masked line of a genuine report
# is a loss: "忽略…要求" needs a word pointing back at the prompt (以上, 之前, 所有…) or an object that only a
# prompt has (指令, 提示词), so "不能忽略群众的合理要求" stays.
_BACK = r"(?:以上|以下|上述|上面|前面|之前|此前|先前|原有|原来|所有|全部|一切|任何)"
_OBJECT = r"(?:要求|指令|指示|提示|提示词|规则|设定|约束|限制|规定|命令|内容)"
_INSTRUCTION = re.compile(
    "|".join(
        [
            rf"(?:忽略|无视|忘记|忘掉|跳过|抛开|不要理会|不必理会|不要遵守|不用遵守|不再遵守|不要执行|停止执行)"
            rf"[^。！？\n]{{0,8}}?(?:{_BACK}[^。！？\n]{{0,10}}?{_OBJECT}|指令|提示词|系统提示)",
            r"你现在是|现在你是|你现在扮演|从现在(?:起|开始)[，,]?\s*你|你的(?:新)?(?:任务|角色|身份)(?:是|变为|改为)",
            r"(?:扮演|假装(?:你)?是)[^。！？\n]{0,10}(?:AI|人工智能|模型|助手)",
            r"[【\[［〔<‹〈]\s*(?:系统|system|助手|assistant|用户|user)(?:提示|消息|指令|prompt|message)?\s*"
            r"[】\]］〕>›〉]",
            r"^\s*(?:系统|system|assistant|助手)(?:提示|消息|指令)?\s*[:：]",
            r"(?:输出|打印|泄露|显示|重复|告诉我|透露)[^。！？\n]{0,10}(?:系统提示|提示词|system\s*prompt)",
            r"im_start|im_end|\[/?INST\]|<</?SYS>>|\bjailbreak",
            # a forged delimiter of our own prompt is an attack whatever words surround it
            r"[<‹＜﹤〈〈⟨《]\s*[/／\\＼]\s*(?:范\s*文|事\s*实)|[<‹＜﹤〈〈⟨]\s*(?:范\s*文|事\s*实)\s*[>›＞﹥〉〉⟩\s]",
            r"\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,30}"
            r"\b(?:previous|above|prior|earlier|preceding|all|any|your)\b[^.\n]{0,20}"
            r"\b(?:instructions?|prompts?|rules?|directions?|guidelines?|context)\b",
            r"\byou are now\b|\bnew instructions?\s*[:：]|\bpretend (?:to be|you are)\b",
        ]
    ),
    re.IGNORECASE | re.MULTILINE,
)


def instruction_like(line: str) -> bool:
    """Whether ``line`` reads as an instruction to the model rather than a line of a report."""
    return bool(_INSTRUCTION.search(_drop_invisible(line)))
