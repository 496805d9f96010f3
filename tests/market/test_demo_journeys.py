"""The demo's printed logins can do what their user journeys need."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from reelmarket.catalogue.rules import may_edit_title, may_see_screener
from reelmarket.market.demo.build import demo_build
from reelmarket.market.selectors import current_edition
from tests.market.test_demo import PASSWORD, SMALL


@pytest.mark.django_db
def test_demo_logins_can_walk_their_journeys():
    demo_build(seed=2025, scale=SMALL, password=PASSWORD)
    edition = current_edition()
    kenji = authenticate(username="kenji@demo.example", password=PASSWORD)
    linh = authenticate(username="linh@demo.example", password=PASSWORD)
    own = kenji.participant.organisation.titles.first()
    foreign = own.__class__.objects.exclude(owner=own.owner).first()
    # Kenji is confirmed staff of his sales company: he edits its titles and no one else's
    assert kenji.participant.organisation_confirmed is True
    assert may_edit_title(kenji, own) is True
    assert may_edit_title(kenji, foreign) is False
    # Linh is a vetted buyer: she may open screeners, but edits nothing
    assert may_see_screener(linh, own, edition) is True
    assert may_edit_title(linh, own) is False
