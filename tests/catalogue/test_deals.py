"""Deals: a sold rights window may name the buyer's company (``buyer_organisation``)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from pydantic import ValidationError as PydanticValidationError

from reelmarket.catalogue import services
from reelmarket.catalogue.inputs import RightsInput
from reelmarket.catalogue.models import RightsWindow
from reelmarket.market.enums import Role
from tests.api.conftest import Api, assert_error
from tests.catalogue.test_editor_views import client_for, rights_data, window
from tests.factories import (
    OrganisationFactory,
    RegistrationFactory,
    RightsWindowFactory,
    make_user_with_roles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@pytest.fixture
def buyer_org(edition):
    """A company whose confirmed buyer is registered for the current edition."""
    org = OrganisationFactory(name="Saigon Screens", slug="saigon-screens", country="VN")
    buyer = make_user_with_roles(Role.BUYER, organisation=org)
    RegistrationFactory(edition=edition, participant=buyer.participant)
    return org


def sold_to(org, **overrides) -> dict:
    return window(
        **{"status": "sold", "counterparty": "", "buyer_organisation": str(org.pk), **overrides}
    )


def test_the_editor_offers_registered_companies_but_not_the_owner(
    users, title, buyer_org, owner_org, edition
):
    absent = OrganisationFactory(name="Not Here Ltd", slug="not-here")
    make_user_with_roles(Role.BUYER, organisation=absent)  # not registered for the edition
    RegistrationFactory(edition=edition, participant=users["owner_exhibitor"].participant)
    response = client_for(users["owner_exhibitor"]).get(
        reverse("catalogue:rights", args=[title.pk])
    )
    field = response.context["formset"].forms[0].fields["buyer_organisation"]
    assert list(field.choices) == [("", "— choose —"), (buyer_org.pk, "Saigon Screens")]
    assert "Sold to (registered company)" in response.content.decode()


def test_marking_a_window_sold_to_a_company(users, title, buyer_org):
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:rights", args=[title.pk]), rights_data(sold_to(buyer_org))
    )
    assert response.status_code == 302
    # "sold to" defaults to the company's name
    assert list(title.rights.values_list("status", "counterparty", "buyer_organisation")) == [
        ("sold", "Saigon Screens", buyer_org.pk)
    ]
    page = client_for(users["owner_exhibitor"]).get(reverse("catalogue:rights", args=[title.pk]))
    assert page.context["formset"].forms[0].initial["buyer_organisation"] == buyer_org.pk


def test_the_free_text_counterparty_is_kept_when_given(users, title, buyer_org):
    client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:rights", args=[title.pk]),
        rights_data(sold_to(buyer_org, counterparty="Saigon Screens JSC")),
    )
    assert list(title.rights.values_list("counterparty", flat=True)) == ["Saigon Screens JSC"]


@pytest.mark.parametrize("status", ["available", "on_hold"])
def test_a_buyer_company_only_when_sold(users, title, buyer_org, status):
    RightsWindowFactory(title=title, territories=["WW"])
    row = window(status=status, counterparty="Someone", buyer_organisation=str(buyer_org.pk))
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:rights", args=[title.pk]), rights_data(row)
    )
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert form.errors == {
        "buyer_organisation": ["Choose a buyer company only when the rights are sold."]
    }
    assert list(title.rights.values_list("territories", "buyer_organisation")) == [(["WW"], None)]


def test_a_company_not_on_the_list_is_refused(users, title, owner_org, buyer_org):
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:rights", args=[title.pk]), rights_data(sold_to(owner_org))
    )
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors["buyer_organisation"]
    assert errors[0].startswith("Select a valid choice.")
    assert title.rights.count() == 0


def test_the_service_refuses_the_owner_and_unknown_companies(users, title, owner_org):
    def sold(buyer_id: int) -> RightsInput:
        return RightsInput(
            media="svod",
            territories=["VN"],
            starts_on="2026-01-01",
            status="sold",
            counterparty="X",
            buyer_organisation_id=buyer_id,
        )

    for buyer_id, message in ((owner_org.pk, "own company"), (999_999, "No organisation")):
        with pytest.raises(services.UnknownBuyer) as caught:
            services.rights_replace(
                actor=users["owner_exhibitor"], title=title, windows=[sold(buyer_id)]
            )
        assert caught.value.index == 0
        assert message in caught.value.reason
    assert title.rights.count() == 0


def test_the_input_rule_names_the_field():
    with pytest.raises(PydanticValidationError) as caught:
        RightsInput(
            media="svod", territories=["VN"], starts_on="2026-01-01", buyer_organisation_id=3
        )
    assert "a buyer company is only for sold rights" in str(caught.value)


def test_the_api_accepts_a_buyer_company_on_a_sold_window(api, users, title, buyer_org):
    body = {
        "media": "svod",
        "territories": ["VN"],
        "starts_on": "2026-01-01",
        "status": "sold",
        "counterparty": "Saigon Screens",
        "buyer_organisation_id": buyer_org.pk,
    }
    response = api.post(f"/titles/{title.pk}/rights", body, as_=users["owner_exhibitor"])
    assert response.status_code == 201, response.content
    window_id = json.loads(response.content)["id"]
    assert RightsWindow.objects.get(pk=window_id).buyer_organisation_id == buyer_org.pk
    body["buyer_organisation_id"] = 999_999
    body["territories"] = ["TH"]
    response = api.post(f"/titles/{title.pk}/rights", body, as_=users["owner_exhibitor"])
    assert_error(
        response,
        422,
        "validation_error",
        {"body.buyer_organisation_id": ["No organisation with this id."]},
    )


def test_deleting_the_buyer_company_keeps_the_sale(title, buyer_org):
    RightsWindowFactory(
        title=title, status="sold", counterparty="Saigon Screens", buyer_organisation=buyer_org
    )
    buyer_org.staff.all().delete()
    buyer_org.delete()
    assert list(title.rights.values_list("status", "counterparty", "buyer_organisation")) == [
        ("sold", "Saigon Screens", None)
    ]
