from __future__ import annotations

import pytest
from django.urls import reverse

from reelmarket.market.enums import Vetting
from reelmarket.market.models import Registration
from tests.factories import (
    PASSWORD,
    RegistrationFactory,
    RightsWindowFactory,
    TitleFactory,
    UserFactory,
)

CHANGELISTS = [
    "admin:market_edition_changelist",
    "admin:market_hall_changelist",
    "admin:market_booth_changelist",
    "admin:market_organisation_changelist",
    "admin:market_pavilion_changelist",
    "admin:market_exhibitor_changelist",
    "admin:market_participant_changelist",
    "admin:market_registration_changelist",
    "admin:catalogue_title_changelist",
    "admin:catalogue_importjob_changelist",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHANGELISTS)
def test_back_office_lists_open_for_organisers(client, staff_user, name):
    client.force_login(staff_user)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_title_change_page_shows_inlines(client, staff_user):
    window = RightsWindowFactory(title=TitleFactory(original_title="Night Ferry"))
    client.force_login(staff_user)
    response = client.get(reverse("admin:catalogue_title_change", args=[window.title_id]))
    assert response.status_code == 200
    assert "Night Ferry" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "participant", "owner_exhibitor"])
def test_back_office_is_closed_to_everyone_else(client, users, who):
    if users[who] is not None:
        client.force_login(users[who])
    response = client.get(reverse("admin:market_registration_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_organiser_approves_registrations_in_bulk(client, edition):
    organiser = UserFactory(is_staff=True, is_superuser=True)
    client.login(username=organiser.username, password=PASSWORD)
    first = RegistrationFactory(edition=edition, vetting=Vetting.PENDING)
    second = RegistrationFactory(edition=edition, vetting=Vetting.PENDING)
    untouched = RegistrationFactory(edition=edition, vetting=Vetting.PENDING)
    response = client.post(
        reverse("admin:market_registration_changelist"),
        {"action": "approve", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 registrations updated." in response.content.decode()
    assert dict(Registration.objects.values_list("pk", "vetting")) == {
        first.pk: Vetting.APPROVED,
        second.pk: Vetting.APPROVED,
        untouched.pk: Vetting.PENDING,
    }
