"""The public catalogue: the filterable list of titles and the title page.

Views are thin: the forms validate the query string, the selectors read, the rules decide
who sees what. The helpers below only turn domain values into words for the viewer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext, ngettext

from reelmarket.catalogue.avails.algebra import Availability, Reason, ReasonCode
from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.avails.territories import COUNTRY_CODES, GROUPS, WORLDWIDE
from reelmarket.catalogue.behaviour import title_view_record
from reelmarket.catalogue.enums import (
    CreditRole,
    Genre,
    MediaChoices,
    Stage,
    TitleKind,
    WindowStatus,
)
from reelmarket.catalogue.forms_browse import (
    AVAILS_FIELDS,
    AvailsCheckForm,
    TitleFilterForm,
)
from reelmarket.catalogue.models import RightsWindow, Title, TitleText
from reelmarket.catalogue.rules import (
    may_edit_title,
    may_save_title,
    may_see_rights_details,
    may_see_screener,
    may_view_title,
)
from reelmarket.catalogue.selectors import (
    is_saved,
    text_for_language,
    title_availability,
    title_detail,
    titles_list,
)
from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition
from reelmarket.web.formatting import country_name, day

PAGE_SIZE = 24
SUMMARY_LIMIT = 5


# --------------------------------------------------------------------------------------
# Words for domain values (the viewer's language).


def territories_text(*, include: Sequence[str], exclude: Sequence[str] = ()) -> str:
    """``["WW"]`` minus ``["CN"]`` → "Worldwide excluding China", names localised."""
    included = ", ".join(country_name(code) for code in dict.fromkeys(include))
    excluded = ", ".join(country_name(code) for code in dict.fromkeys(exclude))
    if not excluded:
        return included
    return gettext("%(included)s excluding %(excluded)s") % {
        "included": included,
        "excluded": excluded,
    }


def countries_summary(codes: Iterable[str], *, limit: int = SUMMARY_LIMIT) -> str:
    """A short, localised list of countries; a whole group is called by its name."""
    unique = frozenset(codes)
    if unique == COUNTRY_CODES:
        return country_name(WORLDWIDE)
    if len(unique) > 1:
        for group in GROUPS.values():
            if group.code != WORLDWIDE and group.members == unique:
                return country_name(group.code)
    names = sorted(country_name(code) for code in unique)
    if len(names) > limit:
        return ngettext(
            "%(first)s, %(second)s and %(count)s more",
            "%(first)s, %(second)s and %(count)s more",
            len(names) - 2,
        ) % {"first": names[0], "second": names[1], "count": len(names) - 2}
    return ", ".join(names)


def term_text(start: date | None, end: date | None) -> str:
    if start is None:
        return ""
    if end is None:
        return gettext("from %(start)s, open-ended") % {"start": day(start)}
    if end == start:
        return day(start)
    return gettext("%(start)s – %(end)s") % {"start": day(start), "end": day(end)}


def _term_phrase(start: date | None, end: date | None) -> str:
    """ "from 1 Jan 2026 to 31 Dec 2026", or "on 1 Jan 2026" for a single day."""
    if start is None or end is None:
        return ""
    if start == end:
        return gettext("on %(day)s") % {"day": day(start)}
    return gettext("from %(start)s to %(end)s") % {"start": day(start), "end": day(end)}


def reason_text(reason: Reason, *, show_counterparty: bool) -> str:
    """A :class:`Reason` in words; who rights went to only when the viewer may know."""
    values = {
        "media": MediaChoices(reason.media).label,
        "where": countries_summary(reason.countries),
        "term": _term_phrase(reason.start, reason.end),
        "until": day(reason.held_until) if reason.held_until else "",
        "from": day(reason.held_from) if reason.held_from else "",
        "who": reason.counterparty if show_counterparty else "",
    }
    code = reason.code
    if code is ReasonCode.NO_RIGHTS:
        text = gettext("No %(media)s rights held in %(where)s.")
    elif code is ReasonCode.OUTSIDE_WINDOW:
        if reason.held_until is not None and reason.held_from is None:
            text = gettext("%(media)s rights in %(where)s end on %(until)s.")
        elif reason.held_from is not None and reason.held_until is None:
            text = gettext("%(media)s rights in %(where)s start on %(from)s.")
        else:
            text = gettext("No %(media)s rights held in %(where)s %(term)s.")
    elif code is ReasonCode.NON_EXCLUSIVE_ONLY:
        text = gettext("Only non-exclusive %(media)s rights held in %(where)s %(term)s.")
    elif code is ReasonCode.SOLD:
        if values["who"]:
            text = (
                gettext("Sold to %(who)s for %(media)s in %(where)s %(term)s.")
                if reason.exclusive
                else gettext("Sold non-exclusively to %(who)s for %(media)s in %(where)s %(term)s.")
            )
        else:
            text = (
                gettext("Sold for %(media)s in %(where)s %(term)s.")
                if reason.exclusive
                else gettext("Sold non-exclusively for %(media)s in %(where)s %(term)s.")
            )
    elif values["who"]:
        text = (
            gettext("On hold for %(who)s for %(media)s in %(where)s %(term)s.")
            if reason.exclusive
            else gettext("On non-exclusive hold for %(who)s for %(media)s in %(where)s %(term)s.")
        )
    else:
        text = (
            gettext("On hold for %(media)s in %(where)s %(term)s.")
            if reason.exclusive
            else gettext("On non-exclusive hold for %(media)s in %(where)s %(term)s.")
        )
    return text % values


# --------------------------------------------------------------------------------------
# The list.


@dataclass(frozen=True)
class TitleCard:
    title: Title
    text: TitleText | None

    @property
    def name(self) -> str:
        return self.text.name if self.text else self.title.original_title

    @property
    def shows_original(self) -> bool:
        return self.name != self.title.original_title

    @property
    def hue(self) -> int:
        """A stable colour for the poster placeholder."""
        return (self.title.pk * 47) % 360


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


def title_cards(titles: Iterable[Title]) -> list[TitleCard]:
    language = get_language() or "en"
    return [TitleCard(title=t, text=text_for_language(t, language)) for t in titles]


def _without(request: HttpRequest, key: str, value: str | None = None) -> str:
    """The current query string minus one parameter value (and the page number)."""
    params = request.GET.copy()
    params.pop("page", None)
    if value is None:
        params.pop(key, None)
    else:
        params.setlist(key, [v for v in params.getlist(key) if v != value])
    return "?" + urlencode(sorted(params.lists()), doseq=True)


def _active_filters(request: HttpRequest, form: TitleFilterForm) -> list[ActiveFilter]:
    """Chips for the filters in force, each with a link that removes it."""
    data = getattr(form, "cleaned_data", {})
    chips: list[ActiveFilter] = []
    if data.get("q"):
        chips.append(ActiveFilter(f"“{data['q']}”", _without(request, "q")))
    if data.get("new"):
        chips.append(ActiveFilter(gettext("New this market"), _without(request, "new")))
    for value in data.get("kind", ()):
        chips.append(ActiveFilter(str(TitleKind(value).label), _without(request, "kind", value)))
    for value in data.get("genre", ()):
        chips.append(ActiveFilter(str(Genre(value).label), _without(request, "genre", value)))
    for value in data.get("stage", ()):
        chips.append(ActiveFilter(str(Stage(value).label), _without(request, "stage", value)))
    if data.get("country"):
        label = gettext("From %(country)s") % {"country": country_name(data["country"])}
        chips.append(ActiveFilter(label, _without(request, "country")))
    if data.get("language"):
        label = dict(form.fields["language"].choices).get(data["language"], data["language"])
        chips.append(ActiveFilter(str(label), _without(request, "language")))
    if data.get("owner"):
        chips.append(ActiveFilter(form.owner_name(), _without(request, "owner")))
    avails = data.get("avails")
    if avails is not None:
        label = gettext("%(media)s in %(where)s, %(term)s%(exclusive)s") % {
            "media": MediaChoices(avails.media).label,
            "where": country_name(avails.territory),
            "term": term_text(avails.start, avails.end),
            "exclusive": gettext(", exclusive") if avails.exclusive else "",
        }
        params = request.GET.copy()
        for key in (*AVAILS_FIELDS, "page"):
            params.pop(key, None)
        chips.append(ActiveFilter(label, "?" + urlencode(sorted(params.lists()), doseq=True)))
    return chips


def _avails_query(request: HttpRequest, form: TitleFilterForm) -> str:
    """The avails part of the query, carried to title pages so they answer at once."""
    if form.avails() is None:
        return ""
    return urlencode([(k, v) for k in AVAILS_FIELDS for v in request.GET.getlist(k) if v])


def page_range(page: Page) -> list[int | str]:
    """Page numbers around the current one, with ellipses: 1 … 4 5 [6] 7 8 … 42."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def title_list(request: HttpRequest) -> HttpResponse:
    form = TitleFilterForm(request.GET)
    form.is_valid()  # invalid fields show their errors; the valid ones still filter
    titles = titles_list(filters=form.filters())
    page = Paginator(titles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "page_range": page_range(page),
        "htmx_target": "#results",
        "cards": title_cards(page.object_list),
        "active_filters": _active_filters(request, form),
        "avails_query": _avails_query(request, form),
        "avails": form.avails(),
    }
    # htmx swaps only the results; a history restore (Back after a cache miss) and a
    # boosted link need the whole page.
    partial = bool(request.htmx) and not (
        request.htmx.boosted or request.htmx.history_restore_request
    )
    template = "catalogue/_results.html" if partial else "catalogue/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --------------------------------------------------------------------------------------
# The title page.


@dataclass(frozen=True)
class WindowRow:
    window: RightsWindow
    territories: str
    term: str


@dataclass(frozen=True)
class MediaRows:
    media: str
    label: str
    rows: list[WindowRow]


_MEDIA_ORDER = {m.value: i for i, m in enumerate(Media)}


def avails_table(windows: Iterable[RightsWindow]) -> list[MediaRows]:
    """Rights windows grouped by media, in the vocabulary's order."""
    grouped: dict[str, list[WindowRow]] = {}
    for w in sorted(windows, key=lambda w: (_MEDIA_ORDER.get(w.media, 99), w.starts_on, w.pk)):
        row = WindowRow(
            window=w,
            territories=territories_text(include=w.territories, exclude=w.excluded),
            term=term_text(w.starts_on, w.ends_on),
        )
        grouped.setdefault(w.media, []).append(row)
    return [
        MediaRows(media=media, label=str(MediaChoices(media).label), rows=rows)
        for media, rows in grouped.items()
    ]


@dataclass(frozen=True)
class CreditGroup:
    role: str
    names: list[str]


def credit_groups(credits: Iterable) -> list[CreditGroup]:
    grouped: dict[str, list[str]] = {}
    for credit in credits:
        grouped.setdefault(credit.role, []).append(credit.name)
    return [CreditGroup(role=str(CreditRole(r).label), names=n) for r, n in grouped.items()]


@dataclass(frozen=True)
class CheckAnswer:
    available: bool
    reasons: list[str]
    summary: str


def _check_answer(
    availability: Availability, *, form: AvailsCheckForm, show_counterparty: bool
) -> CheckAnswer:
    avails = form.avails()
    assert avails is not None
    summary = gettext("%(media)s in %(where)s, %(term)s%(exclusive)s") % {
        "media": MediaChoices(avails.media).label,
        "where": country_name(avails.territory),
        "term": term_text(avails.start, avails.end),
        "exclusive": gettext(", exclusive") if avails.exclusive else "",
    }
    return CheckAnswer(
        available=availability.available,
        reasons=[reason_text(r, show_counterparty=show_counterparty) for r in availability.reasons],
        summary=summary,
    )


def title_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        title = title_detail(pk=pk)
    except Title.DoesNotExist:
        raise Http404 from None
    if not may_view_title(request.user, title):
        raise Http404
    edition = current_edition()
    insider = may_see_rights_details(request.user, title)

    asked = any(key in request.GET for key in AVAILS_FIELDS)
    check_form = AvailsCheckForm(request.GET if asked else None, auto_id="check-%s")
    answer = None
    if asked and check_form.is_valid() and check_form.avails() is not None:
        availability = title_availability(title=title, avails=check_form.avails())
        answer = _check_answer(availability, form=check_form, show_counterparty=insider)

    context = {"title": title, "check_form": check_form, "answer": answer}
    if request.htmx and request.htmx.target == "avails-check":
        response = render(request, "catalogue/_avails_check.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response

    may_save = may_save_title(request.user, title)
    if may_save:  # visits are recorded for those who may save (see the rule)
        title_view_record(participant=participant_of(request.user), title=title)
    language = get_language() or "en"
    texts = list(title.texts.all())
    main_text = text_for_language(title, language)
    context.update(
        {
            "main_text": main_text,
            "other_texts": [t for t in texts if main_text is None or t.pk != main_text.pk],
            "genres": [g.get_genre_display() for g in title.genres.all()],
            "countries": [c.country for c in title.countries.all()],
            "spoken_languages": [lang.language for lang in title.languages.all()],
            "credit_groups": credit_groups(title.credits.all()),
            "recognitions": list(title.recognitions.all()),
            "avails_table": avails_table(title.rights.all()),
            "insider": insider,
            "may_edit": may_edit_title(request.user, title),
            "may_see_screener": may_see_screener(request.user, title, edition),
            "status": WindowStatus,
            "may_save": may_save,
            "is_saved": may_save
            and is_saved(participant=participant_of(request.user), title=title),
        }
    )
    response = render(request, "catalogue/detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
