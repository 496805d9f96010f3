"""Compose a title's name, logline and synopsis in one language from the phrase banks.

Pure functions. A :class:`Story` holds the choices made once per title (bank entries,
setting, city ...); :func:`compose` renders it in any of the eight languages, so the texts
of one title are translations of each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reelmarket.market.demo.banks import BANKS, CITIES, FRAMES, LANGUAGES, SETTINGS, TITLE_WITH_CITY

_INDEX = {language: i for i, language in enumerate(LANGUAGES)}
# Languages whose sentences are joined without a space and never capitalised.
_NO_SPACE = frozenset({"zh-Hant", "zh-Hans", "ja"})
_CAPITALISED = frozenset({"en", "vi", "id"})
# Frames placed before the story (the IP itself is the book / comic / game).
_FRAME_FIRST = frozenset({"book", "comic", "game"})


@dataclass(frozen=True)
class Story:
    """The choices that make a title's texts (indices into the banks)."""

    genre: str
    hero: int
    setup: int
    turns: tuple[int, ...]
    hook: int | None
    setting: str
    city: str
    title: int
    with_city: bool
    second_genre: str | None = None
    second_turn: int = 0
    frame: str | None = None
    stage_frame: str | None = None
    values: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Text:
    language: str
    name: str
    logline: str
    synopsis: str


_JOSA = re.compile(r"(.)(은\(는\)|이\(가\)|을\(를\)|과\(와\)|으로\(로\))")
_JOSA_FORMS = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "으로(로)": ("으로", "로"),
}


def _josa(match: re.Match[str]) -> str:
    """Pick the Korean particle form that fits the syllable before it."""
    char, particle = match.group(1), match.group(2)
    with_final, without_final = _JOSA_FORMS[particle]
    code = ord(char) - 0xAC00
    if 0 <= code <= 11171:
        final = code % 28
        has_final = final != 0
        if particle == "으로(로)" and final == 8:  # ㄹ takes 로
            has_final = False
    else:
        has_final = char.isdigit() and char in "013678"
    return char + (with_final if has_final else without_final)


def _sentence(template: str, language: str, **values: str) -> str:
    text = template.format(**values)
    if language == "ko":
        text = _JOSA.sub(_josa, text)
    if language in _CAPITALISED and text:
        text = text[0].upper() + text[1:]
    return text


def _join(sentences: list[str], language: str) -> str:
    return ("" if language in _NO_SPACE else " ").join(s for s in sentences if s)


def title_name(story: Story, language: str) -> str:
    i = _INDEX[language]
    name = BANKS[story.genre].titles[story.title][i]
    if story.with_city:
        name = TITLE_WITH_CITY[i].format(title=name, city=CITIES[story.city][i])
    return name


def compose(story: Story, language: str) -> Text:
    """The title's texts in ``language`` (one of ``banks.LANGUAGES``)."""
    i = _INDEX[language]
    bank = BANKS[story.genre]
    hero, who = bank.heroes[story.hero][i].split("|")
    place = SETTINGS[story.setting][i].format(city=CITIES[story.city][i])
    values = {"hero": hero, "who": who, "place": place}

    setup = _sentence(bank.setups[story.setup][i], language, **values)
    body = [setup]
    body += [_sentence(bank.turns[t][i], language, **values) for t in story.turns]
    if story.second_genre is not None:
        second = BANKS[story.second_genre].turns[story.second_turn][i]
        body.append(_sentence(second, language, **values))
    if story.hook is not None:
        body.append(_sentence(bank.hooks[story.hook][i], language))

    frames = [
        _sentence(FRAMES[key][i], language, **{k: str(v) for k, v in story.values.items()})
        for key in (story.frame, story.stage_frame)
        if key is not None
    ]
    first = story.frame in _FRAME_FIRST
    sentences = frames[:1] + body + frames[1:] if first else body + frames
    return Text(
        language=language,
        name=title_name(story, language),
        logline=setup,
        synopsis=_join(sentences, language),
    )
