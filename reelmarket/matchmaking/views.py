"""The "For you" pages: suggestions per role with their reasons, feedback buttons (htmx),
"Request a meeting", the "buyers to meet" fragment of a title page, and the organisers'
batch recompute. Thin: selectors read, services write, rules decide.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from reelmarket.catalogue.models import Title
from reelmarket.catalogue.rules import may_view_title
from reelmarket.market.rules import is_organiser, participant_of, works_for
from reelmarket.matchmaking import selectors, services
from reelmarket.matchmaking.enums import TargetKind, Verdict
from reelmarket.matchmaking.errors import MatchError
from reelmarket.matchmaking.forms import FeedbackForm, InterestForm, MeetingFromSuggestionForm
from reelmarket.matchmaking.models import StatedInterest, Suggestion
from reelmarket.matchmaking.reasons import annotate
from reelmarket.matchmaking.rules import may_recompute_all, may_see_buyers_for
from reelmarket.meetings.errors import MeetingError

SECTION_TITLES = {
    TargetKind.TITLE: gettext_lazy("Titles to look at"),
    TargetKind.BUYER: gettext_lazy("Buyers to meet, per title"),
    TargetKind.MEETING: gettext_lazy("People to meet"),
    TargetKind.PROJECT: gettext_lazy("Projects"),
    TargetKind.FINANCIER: gettext_lazy("Financiers and co-producers for your projects"),
}
PER_SECTION = 12


PER_TITLE = 4  # buyers shown per title on a seller's page


def _grouped(cards: list[Any], attribute: str) -> list[dict[str, Any]]:
    """Cards grouped by their title (buyers) or project (financiers), best group first."""
    groups: dict[int, dict[str, Any]] = {}
    for card in cards:
        target = getattr(card.suggestion, attribute)
        group = groups.setdefault(target.pk, {"target": target, "cards": []})
        if len(group["cards"]) < PER_TITLE:
            group["cards"].append(card)
    return list(groups.values())


def _sections(request: HttpRequest, me: Any, kinds: list[str]) -> list[dict[str, Any]]:
    sections = []
    for kind in kinds:
        grouped = {TargetKind.BUYER: "title", TargetKind.FINANCIER: "project"}.get(kind)
        limit = PER_SECTION * 5 if grouped else PER_SECTION
        rows = selectors.cards_for(viewer=me, user=request.user, kinds=[kind], limit=limit).get(
            kind, []
        )
        groups = _grouped(rows, grouped) if grouped else []
        if grouped:
            rows = [card for group in groups for card in group["cards"]]
        annotate(rows)
        sections.append(
            {
                "kind": kind,
                "heading": str(SECTION_TITLES[TargetKind(kind)]),
                "cards": rows,
                "groups": groups,
            }
        )
    return sections


@login_required
@require_GET
def for_you(request: HttpRequest) -> HttpResponse:
    """The viewer's suggestions, one section per role. First visit: computed on the spot."""
    me = participant_of(request.user)
    organiser = is_organiser(request.user)
    if me is None:
        context = {"is_organiser": organiser, "run": selectors.last_run() if organiser else None}
        return render(
            request, "matchmaking/no_profile.html", context, status=200 if organiser else 403
        )
    kinds = selectors.kinds_for(me)
    if kinds and not Suggestion.objects.filter(viewer=me).exists():
        services.recompute_for(participant=me)
    context = {
        "me": me,
        "sections": _sections(request, me, kinds),
        "interests": list(me.stated_interests.all()) if TargetKind.TITLE in kinds else None,
        "interest_form": InterestForm(),
        "kinds": kinds,
        "is_organiser": organiser,
        "run": selectors.last_run() if organiser else None,
        "verdicts": Verdict,
    }
    return render(request, "matchmaking/for_you.html", context)


def _section_response(request: HttpRequest, me: Any, kind: str) -> HttpResponse:
    (section,) = _sections(request, me, [kind])
    response = render(request, "matchmaking/_section.html", {"section": section, "me": me})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("matchmaking:for_you")


@login_required
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """Not interested / More like this / No thanks: applied before the page comes back."""
    me = participant_of(request.user)
    if me is None:
        raise PermissionDenied(_("Only participants give feedback on suggestions."))
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("This answer could not be read."), status=400)
    targets = form.targets()
    if form.errors:
        return HttpResponse(_("This suggestion no longer exists."), status=404)
    kind = form.cleaned_data["kind"]
    try:
        services.feedback_give(
            actor=request.user, kind=kind, verdict=form.cleaned_data["verdict"], **targets
        )
    except (MatchError, MeetingError) as exc:
        if request.htmx:
            return HttpResponse(exc.message, status=404 if exc.code == "not_found" else 409)
        messages.error(request, exc.message)
        return _back(request)
    if request.htmx:
        if request.POST.get("fragment") == "title" and targets["title"] is not None:
            return _buyers_fragment(request, targets["title"])
        return _section_response(request, me, kind)
    messages.success(request, _("Thanks: your suggestions have been updated."))
    return _back(request)


@login_required
@require_POST
def request_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """One click from a suggestion to a meeting request about its titles."""
    me = participant_of(request.user)
    if me is None:
        raise PermissionDenied(_("Only participants request meetings."))
    try:
        suggestion = selectors.suggestion_of(viewer=me, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    form = MeetingFromSuggestionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        meeting_request = services.suggestion_request_meeting(
            actor=request.user, suggestion=suggestion, message=message
        )
    except (MatchError, MeetingError) as exc:
        if request.htmx:
            return render(
                request,
                "matchmaking/_request_result.html",
                {"error": exc.message, "suggestion": suggestion},
                status=409,
            )
        messages.error(request, exc.message)
        return _back(request)
    if request.htmx:
        return render(
            request,
            "matchmaking/_request_result.html",
            {"meeting_request": meeting_request, "suggestion": suggestion},
        )
    messages.success(request, _("Your meeting request has been sent."))
    return redirect(reverse("meetings:request", args=[meeting_request.pk]))


def _buyers_fragment(request: HttpRequest, title: Title) -> HttpResponse:
    me = participant_of(request.user)
    if (
        me is not None
        and works_for(request.user, title.owner_id)
        and not Suggestion.objects.filter(viewer=me, kind=TargetKind.BUYER, title=title).exists()
    ):
        services.recompute_for(participant=me)  # a new title: computed on first look
    cards = selectors.buyer_cards_for_title(user=request.user, title=title, limit=PER_SECTION)
    annotate(cards)
    response = render(
        request,
        "matchmaking/_buyers_to_meet.html",
        {"title": title, "cards": cards, "me": participant_of(request.user)},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def buyers_for_title(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Buyers to meet" on a title page (htmx fragment): the title's sellers and organisers;
    nothing for anyone else (an empty fragment, so the title page stays as it is)."""
    title = Title.objects.select_related("owner").filter(pk=pk).first()
    if title is None or not may_view_title(request.user, title):
        raise Http404
    if not may_see_buyers_for(request.user, title):
        if request.htmx:
            return HttpResponse("", status=204)
        raise PermissionDenied(_("Only the title's sales team sees the buyers to meet."))
    return _buyers_fragment(request, title)


@login_required
@require_POST
def interest_add(request: HttpRequest) -> HttpResponse:
    """A buyer states an interest in their own words; the page comes back re-ranked."""
    form = InterestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("matchmaking:for_you")
    try:
        services.interest_add(actor=request.user, text=form.cleaned_data["text"])
    except MatchError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your suggestions now follow this interest too."))
    return redirect("matchmaking:for_you")


@login_required
@require_POST
def interest_remove(request: HttpRequest, pk: int) -> HttpResponse:
    me = participant_of(request.user)
    interest = StatedInterest.objects.filter(pk=pk, viewer=me).first() if me else None
    if interest is None:
        raise Http404
    services.interest_remove(actor=request.user, interest=interest)
    return redirect("matchmaking:for_you")


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    """Organisers: recompute every suggestion in the background."""
    if not may_recompute_all(request.user):
        raise PermissionDenied(_("Only organisers recompute every suggestion."))
    try:
        run = services.recompute_run_start(actor=request.user)
    except MatchError as exc:
        messages.error(request, exc.message)
        return redirect("matchmaking:runs")
    messages.success(request, _("The recompute has started (run %(id)s).") % {"id": run.pk})
    return redirect("matchmaking:runs")


@login_required
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    """Organisers: the recompute runs and their progress (the page polls while one runs)."""
    if not may_recompute_all(request.user):
        raise PermissionDenied(_("Only organisers see the recompute runs."))
    recent = list(selectors.recent_runs())
    context = {"runs": recent, "active": any(r.status in ("queued", "running") for r in recent)}
    if request.htmx:
        return render(request, "matchmaking/_runs.html", context)
    return render(request, "matchmaking/runs.html", context)
