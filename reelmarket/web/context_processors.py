from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from reelmarket.catalogue.rules import editable_organisation_id
from reelmarket.market.rules import is_organiser
from reelmarket.market.selectors import current_edition
from reelmarket.pitching.rules_review import sits_on_a_jury


def market(request: HttpRequest) -> dict[str, object]:
    organiser = is_organiser(request.user)
    return {
        "edition": current_edition(),
        "is_organiser": organiser,
        # "My titles" only for those who may edit a catalogue (confirmed sellers, organisers)
        "manages_catalogue": organiser or editable_organisation_id(request.user) is not None,
        # Asked only by the pages that show a "Reviews" link (one query when asked).
        "sits_on_a_jury": SimpleLazyObject(lambda: sits_on_a_jury(request.user)),
    }
