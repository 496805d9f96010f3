"""The bilingual texts of a submission: word limits and completeness (no database).

A submission may be written in English, in Chinese or in both. Every text that is filled in
must keep to its language's limit (``enums.WORD_LIMITS``; English counts words, Chinese
counts characters, see ``wordcount``), and the required texts (``enums.REQUIRED_TEXTS``)
must be complete in at least one of the two languages.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from reelmarket.pitching.enums import REQUIRED_TEXTS, WORD_LIMITS, TextField, TextLanguage
from reelmarket.pitching.wordcount import count

LANGUAGES = (TextLanguage.EN, TextLanguage.ZH)
# Every text column of a submission: "logline_en", "logline_zh", ...
TEXT_COLUMNS = tuple(f"{field}_{language}" for field in TextField for language in LANGUAGES)
# A hard ceiling for a draft (limits apply at submission; this only stops abuse).
MAX_DRAFT_CHARS = 100_000


def limit_message(field: str, language: str, text: str) -> str | None:
    """The message when ``text`` is over its limit, else None."""
    limit = WORD_LIMITS[field][language]
    used = count(text, language)
    if used <= limit:
        return None
    label = TextField(field).label
    if language == TextLanguage.ZH:
        return _("%(text)s (Chinese) has %(count)d characters; the limit is %(limit)d.") % {
            "text": label,
            "count": used,
            "limit": limit,
        }
    return _("%(text)s (English) has %(count)d words; the limit is %(limit)d.") % {
        "text": label,
        "count": used,
        "limit": limit,
    }


def limit_errors(values: Mapping[str, str]) -> dict[str, str]:
    """Column name -> message, for every text over its language's limit."""
    errors = {}
    for field in TextField:
        for language in LANGUAGES:
            column = f"{field}_{language}"
            message = limit_message(field, language, values.get(column) or "")
            if message:
                errors[column] = message
    return errors


def complete_languages(values: Mapping[str, str]) -> list[str]:
    """The languages in which every required text is filled in."""
    return [
        language
        for language in LANGUAGES
        if all((values.get(f"{field}_{language}") or "").strip() for field in REQUIRED_TEXTS)
    ]


def missing_message(values: Mapping[str, str]) -> str | None:
    """None when the required texts are complete in one language; else what is missing."""
    if complete_languages(values):
        return None
    order = [f for f in TextField if f in REQUIRED_TEXTS]
    missing = {
        language: ", ".join(
            str(TextField(f).label)
            for f in order
            if not (values.get(f"{f}_{language}") or "").strip()
        )
        for language in LANGUAGES
    }
    return _(
        "Complete the required texts in English or in Chinese. Missing in English: %(en)s. "
        "Missing in Chinese: %(zh)s."
    ) % {"en": missing[TextLanguage.EN], "zh": missing[TextLanguage.ZH]}


def values_of(submission: object) -> dict[str, str]:
    return {column: getattr(submission, column) for column in TEXT_COLUMNS}
