"""Reasons of a suggestion in plain, translated words.

A stored reason is ``{"code", "points", "params", "about"}`` — one component of the score.
The card shows the largest positive ones ("why") and a penalty as "less because ...".
``about == "other"`` means the reason describes the other side's interests (a buyer as a
seller sees them); when those are hidden from the viewer the selectors have already dropped
the params and set ``private`` — the card then says only that they fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reelmarket.catalogue.avails.territories import territory_name
from reelmarket.catalogue.enums import Genre, MediaChoices, TitleKind
from reelmarket.catalogue.models import Title
from reelmarket.financing.reasons import reason_text as financing_reason_text
from reelmarket.financing.relevance import Reason
from reelmarket.market.enums import BudgetRange
from reelmarket.matchmaking.enums import TargetKind

TOP = 3

# Codes that say "no preference stated": true of many, not a reason to show.
QUIET = frozenset(
    {
        "rights_open",
        "kind_open",
        "genre_open",
        "language_open",
        "budget_open",
        "titles",
        "not_interested",
        "rights_unavailable",
    }
)
FINANCING_KINDS = frozenset({TargetKind.PROJECT, TargetKind.FINANCIER})


def _label(choices: Any, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _join(values: Iterable[str]) -> str:
    return ", ".join(values)


def _language(tag: object) -> str:
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(str(tag))["name_translated"])
    except KeyError:
        return str(tag)


def _rights(pairs: object) -> str:
    by_media: dict[str, list[str]] = {}
    for pair in pairs or []:  # type: ignore[union-attr]
        territory, media = pair
        by_media.setdefault(str(media), []).append(territory_name(str(territory)))
    return "; ".join(
        _("%(media)s in %(territories)s")
        % {"media": _label(MediaChoices, media), "territories": _join(names)}
        for media, names in by_media.items()
    )


def _names(ids: object, names: dict[int, str]) -> str:
    found = [names[i] for i in (ids or []) if i in names]  # type: ignore[union-attr]
    return _join(f"“{n}”" for n in found[:3])


def title_text(reason: dict[str, Any], *, other: bool, names: dict[int, str]) -> str | None:
    """One title-matching reason in words; ``other``: it describes the other side (a buyer
    as the seller reads it), else the viewer themselves."""
    code, p = reason["code"], reason.get("params") or {}
    if reason.get("private"):
        return _("Fits what they look for")
    if code == "rights_available":
        if other:
            return _("Buys %(rights)s — your right is available there") % {
                "rights": _rights(p.get("rights"))
            }
        return _("You buy %(rights)s — the right is available there") % {
            "rights": _rights(p.get("rights"))
        }
    if code == "kind":
        kind = _label(TitleKind, p.get("kind"))
        return (_("Buys: %(kind)s") if other else _("%(kind)s, which you buy")) % {"kind": kind}
    if code == "genre":
        genres = _join(_label(Genre, g) for g in p.get("genres", []))
        return (_("Buys %(genres)s") if other else _("%(genres)s, a genre you buy")) % {
            "genres": genres
        }
    if code == "language":
        languages = _join(_language(t) for t in p.get("languages", []))
        return (_("Buys titles in %(languages)s") if other else _("In %(languages)s")) % {
            "languages": languages
        }
    if code == "budget":
        tier = _label(BudgetRange, p.get("tier"))
        return (_("Buys at this budget (%(tier)s)") if other else _("Budget you buy: %(tier)s")) % {
            "tier": tier
        }
    if code == "interest":
        if other:
            return _("Close to their interest “%(interest)s”") % {"interest": p.get("interest", "")}
        return _("Synopsis close to your interest “%(interest)s”") % {
            "interest": p.get("interest", "")
        }
    if code == "taste":
        named = _names(p.get("titles"), names)
        return (
            _("Close to titles you looked at: %(titles)s") % {"titles": named}
            if named
            else _("Close to titles you looked at")
        )
    if code == "history_genre":
        count = int(p.get("count") or 0)
        return ngettext(
            "%(genre)s, like %(count)s title you showed interest in",
            "%(genre)s, like %(count)s titles you showed interest in",
            count,
        ) % {"genre": _label(Genre, p.get("genre")), "count": count}
    if code == "history_kind":
        count = int(p.get("count") or 0)
        return ngettext(
            "%(kind)s, like %(count)s title you showed interest in",
            "%(kind)s, like %(count)s titles you showed interest in",
            count,
        ) % {"kind": _label(TitleKind, p.get("kind")), "count": count}
    if code == "co_interest":
        named = _names(p.get("titles"), names)
        if named:
            return _("Buyers interested in %(titles)s were also interested in this") % {
                "titles": named
            }
        return _("Buyers with your interests were also interested in this")
    if code == "popular":
        users = int(p.get("users") or 0)
        return ngettext("%(count)s buyer interested", "%(count)s buyers interested", users) % {
            "count": users
        }
    if code == "more_like_this":
        named = _names([p.get("title")], names)
        return _("Like %(title)s, which you asked more of") % {"title": named or _("a title")}
    if code == "not_interested_similar":
        named = _names([p.get("title")], names)
        return _("Less: close to %(title)s, which you marked not interested") % {
            "title": named or _("a title")
        }
    return None


def reason_texts(
    reasons: Sequence[dict[str, Any]], *, kind: str, names: dict[int, str] | None = None
) -> list[str]:
    """The top reasons of one suggestion in words (at most ``TOP`` positive ones, then one
    penalty if there is one)."""
    names = names or {}
    texts: list[str] = []
    penalty: str | None = None
    for reason in reasons:
        if reason["code"] in QUIET:
            continue
        if kind in FINANCING_KINDS and not reason.get("private"):
            viewer = "investor" if kind == TargetKind.PROJECT else "producer"
            text = financing_reason_text(
                Reason(
                    code=reason["code"], points=reason["points"], params=reason.get("params") or {}
                ),
                viewer=viewer,
            )
            if text is None:
                text = title_text(reason, other=False, names=names) if reason["points"] else None
        else:
            text = title_text(reason, other=reason.get("about") == "other", names=names)
        if not text:
            continue
        if reason["points"] < 0:
            penalty = penalty or text
        elif reason["points"] > 0 and len(texts) < TOP and text not in texts:
            texts.append(text)
    if not texts and any(r["code"].endswith("_open") for r in reasons):
        others = any(r.get("about") == "other" for r in reasons)
        texts.append(
            _("Has not said what they buy: open to most titles")
            if others
            else _("You have not said what you buy yet: add it to your profile")
        )
    if penalty:
        texts.append(penalty)
    return texts


def title_ids_cited(reasons: Iterable[dict[str, Any]]) -> set[int]:
    ids: set[int] = set()
    for reason in reasons:
        p = reason.get("params") or {}
        for key in ("titles", "title_ids"):
            ids.update(i for i in p.get(key, []) or [] if isinstance(i, int))
        if isinstance(p.get("title"), int):
            ids.add(p["title"])
    return ids


def title_names(ids: Iterable[int]) -> dict[int, str]:
    """Published titles' names for the reasons that cite them."""
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(
        Title.objects.filter(pk__in=wanted, is_published=True).values_list("pk", "original_title")
    )


def card_reasons(card: Any, names: dict[int, str] | None = None) -> list[str]:
    if names is None:
        names = title_names(title_ids_cited(card.reasons))
    return reason_texts(card.reasons, kind=card.kind, names=names)


def annotate(cards: Iterable[Any]) -> None:
    """Set ``card.texts`` on every card (one query for the titles they cite)."""
    cards = list(cards)
    names = title_names(set().union(*(title_ids_cited(c.reasons) for c in cards)) if cards else ())
    for card in cards:
        card.texts = card_reasons(card, names)
