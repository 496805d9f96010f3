"""A participant's saved titles: the Save / Saved button of the title page and their list.

Thin: ``catalogue.behaviour`` writes and reads, ``catalogue.rules.may_save_title`` decides.
The button is a form: htmx swaps the button in place, without JavaScript the browser posts
it and comes back to the page it was on.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reelmarket.catalogue.behaviour import title_save, title_unsave
from reelmarket.catalogue.models import Title
from reelmarket.catalogue.rules import may_view_title
from reelmarket.catalogue.selectors import is_saved, saved_titles
from reelmarket.catalogue.views_browse import title_cards
from reelmarket.market.rules import participant_of


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to a same-site ``next`` (the form sends the page it is on), else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def title_save_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """``action=save`` saves the title, ``action=unsave`` removes it from the list."""
    title = Title.objects.filter(pk=pk).select_related("owner").first()
    if title is None:
        raise Http404
    action = request.POST.get("action")
    if action == "unsave":
        mine = is_saved(participant=participant_of(request.user), title=title)
        if not mine and not may_view_title(request.user, title):
            raise Http404  # a title they may not see and never saved
        title_unsave(actor=request.user, title=title)  # PermissionDenied: 403
        saved = False
    elif action == "save":
        if not may_view_title(request.user, title):
            raise Http404
        title_save(actor=request.user, title=title)  # PermissionDenied: 403
        saved = True
    else:
        return HttpResponse(_("Say whether to save or remove the title."), status=400)
    if request.htmx:
        response = render(
            request,
            "catalogue/_save_button.html",
            {"title": title, "is_saved": saved, "may_save": True, "next": request.POST.get("next")},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if saved:
        messages.success(request, _("Saved to your titles."))
    else:
        messages.success(request, _("Removed from your saved titles."))
    return _back(request, reverse("catalogue:detail", args=[title.pk]))


@login_required
@require_GET
def saved_list(request: HttpRequest) -> HttpResponse:
    participant = participant_of(request.user)
    if participant is None:
        raise PermissionDenied
    rows = list(saved_titles(participant=participant))
    cards = title_cards(row.title for row in rows)
    return render(
        request,
        "catalogue/saved.html",
        {"items": list(zip(rows, cards, strict=True))},
    )
