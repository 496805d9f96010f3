"""Reasons of a relevance match (``relevance.Reason``) in words, for the person reading them.

An investor reads them about a project ("Animation, like your focus"); a producer reads
them about an investor ("Invests in India, where you produce"). Only contributions that
raised the score are worded; the facts they cite are the project's public facts and the
investor's visible profile, which the directories check before scoring.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from django.utils.translation import gettext as _

from reelmarket.catalogue.enums import Genre
from reelmarket.financing.enums import PartnerKind, ProjectKind, ProjectStage
from reelmarket.financing.relevance import Match, Reason
from reelmarket.web import formatting

Viewer = Literal["investor", "producer"]


def _label(choices: type, value: object) -> str:
    try:
        return str(choices(value).label)  # type: ignore[call-arg]
    except ValueError:
        return str(value)


def _join(values: Iterable[str]) -> str:
    return ", ".join(values)


def _countries(codes: object) -> str:
    return _join(formatting.country_name(str(c)) for c in (codes or []))  # type: ignore[union-attr]


def _usd(amount: object) -> str:
    return formatting.money(float(amount or 0), "USD", compact=True)  # type: ignore[arg-type]


def reason_text(reason: Reason, *, viewer: Viewer) -> str | None:
    """One reason in words, or None for a reason not worth saying."""
    p = reason.params
    code = reason.code
    if reason.points <= 0 and code not in ("kind_excluded", "stage_excluded", "ticket_exceeds_gap"):
        return None
    if code == "ticket_fits_gap":
        if viewer == "investor":
            return _("Your ticket (up to %(ticket)s) fits the gap of %(gap)s") % {
                "ticket": _usd(p.get("ticket_max_usd")),
                "gap": _usd(p.get("gap_usd")),
            }
        return _("Tickets up to %(ticket)s for your gap of %(gap)s") % {
            "ticket": _usd(p.get("ticket_max_usd")),
            "gap": _usd(p.get("gap_usd")),
        }
    if code == "genre":
        genres = _join(_label(Genre, g) for g in p.get("genres", []))  # type: ignore[union-attr]
        if viewer == "investor":
            return _("%(genres)s, like your focus") % {"genres": genres}
        return _("Looks for %(genres)s") % {"genres": genres.lower()}
    if code == "kind":
        kind = _label(ProjectKind, p.get("kind"))
        if viewer == "investor":
            return _("%(kind)s, like your focus") % {"kind": kind}
        return _("Invests in: %(kind)s") % {"kind": kind.lower()}
    if code == "stage":
        stage = _label(ProjectStage, p.get("stage"))
        if viewer == "investor":
            return _("Stage you invest at: %(stage)s") % {"stage": stage.lower()}
        return _("Comes in at your stage: %(stage)s") % {"stage": stage.lower()}
    if code == "partner_sought":
        kind = _label(PartnerKind, p.get("kind"))
        country = str(p.get("country") or "")
        if viewer == "investor":
            if p.get("country_matches") and country:
                return _("Looks for a %(partner)s from %(country)s") % {
                    "partner": kind.lower(),
                    "country": formatting.country_name(country),
                }
            if p.get("country_matches"):
                return _("Looks for a %(partner)s") % {"partner": kind.lower()}
            return _("Looks for a %(partner)s (from %(countries)s)") % {
                "partner": kind.lower(),
                "countries": _countries(p.get("countries")),
            }
        return _("Is the %(partner)s you are looking for") % {"partner": kind.lower()}
    if code == "region":
        if viewer == "investor":
            return _("Produced in %(countries)s, where you invest") % {
                "countries": _countries(p.get("countries"))
            }
        return _("Invests in %(countries)s, where you produce") % {
            "countries": _countries(p.get("countries"))
        }
    if code == "market":
        if viewer == "investor":
            return _("Aims at %(countries)s, where you invest") % {
                "countries": _countries(p.get("countries"))
            }
        return _("Active in %(countries)s, one of your target markets") % {
            "countries": _countries(p.get("countries"))
        }
    if code == "treaty":
        if viewer == "investor":
            return _("You can use a co-production treaty with %(countries)s") % {
                "countries": _countries(p.get("countries"))
            }
        return _("Can use a co-production treaty with %(countries)s") % {
            "countries": _countries(p.get("countries"))
        }
    if code == "kind_excluded":
        if viewer == "investor":
            return _("Not a kind of project you invest in")
        return _("Invests in other kinds of project")
    if code == "stage_excluded":
        if viewer == "investor":
            return _("Not at a stage you invest at")
        return _("Invests at other stages")
    if code == "ticket_exceeds_gap":
        if viewer == "investor":
            return _("The gap is smaller than your smallest ticket")
        return _("Their smallest ticket is more than twice your gap")
    if code.endswith("_open"):
        return None  # "no preference stated" is true of many; not a reason to show
    return None


def reason_texts(match: Match, *, viewer: Viewer, limit: int = 4) -> list[str]:
    """The match's strongest reasons in words (at most ``limit``)."""
    texts = [t for r in match.reasons if (t := reason_text(r, viewer=viewer))]
    return texts[:limit]
