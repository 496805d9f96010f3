"""How long a submission text is, the way festivals count it (no Django import).

English counts words: runs of characters between spaces. Chinese counts characters, as
word processors' Chinese word count does (字數): every CJK character or full-width
punctuation mark counts one, and a run of Latin letters or digits inside Chinese text
("IMAX", "2026") counts one, like a word. The form's live counter
(``static/pitching/wordcount.js``) implements the same two rules.
"""

from __future__ import annotations

import re

# CJK ideographs (BMP and extensions), kana, Hangul, CJK and full-width punctuation.
_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_OTHER_RUN = re.compile(f"[^\\s{_CJK}]+")
_WORD = re.compile(r"\S+")


def count(text: str, language: str) -> int:
    """Words (``"en"``) or characters (``"zh"``) in ``text``."""
    if language == "zh":
        return len(_CJK_CHAR.findall(text)) + len(_OTHER_RUN.findall(text))
    return len(_WORD.findall(text))
