"""The shape of a phrase bank: one genre's vocabulary in the eight catalogue languages.

Every phrase is a tuple of eight strings in the order of ``LANGUAGES``; the same position
in every tuple says the same thing, so a title's texts in several languages are
translations of each other (what cross-lingual search and matchmaking rely on).

Placeholders: ``{hero}`` (a character introduced: "a young nurse"), ``{who}`` (the same
character named again: "the nurse"), ``{place}`` (a setting, itself possibly holding
``{city}``). A hero is written ``"introduction|short form"``. Korean particles that depend
on the preceding syllable are written ``은(는)``, ``이(가)``, ``을(를)``, ``과(와)``,
``으로(로)`` and resolved when a text is composed.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("en", "zh-Hant", "zh-Hans", "ja", "ko", "th", "vi", "id")

Phrase = tuple[str, str, str, str, str, str, str, str]


@dataclass(frozen=True)
class Bank:
    """A genre: words that mark it, characters, opening sentences, turns, hooks, titles.

    Every turn and hook contains at least one of the genre's keywords in its language (a
    test checks it), so a synopsis always says what genre it is.
    """

    keywords: Phrase  # "|"-separated per language
    heroes: tuple[Phrase, ...]
    setups: tuple[Phrase, ...]
    turns: tuple[Phrase, ...]
    hooks: tuple[Phrase, ...]
    titles: tuple[Phrase, ...]

    def keywords_for(self, language: str) -> tuple[str, ...]:
        return tuple(self.keywords[LANGUAGES.index(language)].split("|"))
