from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from reelmarket.market.enums import Role, Vetting, Visibility
from reelmarket.market.models import Registration
from reelmarket.market.rules import is_organiser, is_vetted_for, may_see
from reelmarket.market.selectors import visible_participants
from reelmarket.market.services import registrations_vet
from tests.factories import ParticipantFactory, RegistrationFactory, UserFactory


@pytest.mark.django_db
def test_directory_respects_profile_visibility_per_viewer(edition, users):
    public = ParticipantFactory(display_name="Public Pat", profile_visibility=Visibility.PUBLIC)
    members = ParticipantFactory(
        display_name="Members Mo", profile_visibility=Visibility.PARTICIPANTS
    )
    hidden = ParticipantFactory(display_name="Hidden Hu", profile_visibility=Visibility.HIDDEN)
    for p in (public, members, hidden):
        RegistrationFactory(edition=edition, participant=p)

    def names(viewer):
        return sorted(
            visible_participants(viewer=viewer, edition=edition).values_list(
                "display_name", flat=True
            )
        )

    assert names(AnonymousUser()) == ["Public Pat"]
    assert names(users["participant"]) == ["Members Mo", "Public Pat"]
    assert names(users["organiser"]) == ["Hidden Hu", "Members Mo", "Public Pat"]
    assert names(hidden.user) == ["Hidden Hu", "Members Mo", "Public Pat"]


@pytest.mark.django_db
def test_may_see_levels(users):
    owner = ParticipantFactory()
    anon = AnonymousUser()
    assert may_see(anon, owner=owner, level=Visibility.PUBLIC)
    assert not may_see(anon, owner=owner, level=Visibility.PARTICIPANTS)
    assert may_see(users["participant"], owner=owner, level=Visibility.PARTICIPANTS)
    assert not may_see(users["participant"], owner=owner, level=Visibility.HIDDEN)
    assert may_see(users["organiser"], owner=owner, level=Visibility.HIDDEN)
    assert may_see(owner.user, owner=owner, level=Visibility.HIDDEN)
    # a bare account without a participant profile is not a participant
    assert not may_see(UserFactory(), owner=owner, level=Visibility.PARTICIPANTS)


@pytest.mark.django_db
def test_organiser_is_staff_or_has_the_role(users):
    assert is_organiser(users["organiser"])
    assert is_organiser(UserFactory(is_staff=True))
    assert not is_organiser(users["owner_exhibitor"])
    assert not is_organiser(AnonymousUser())


@pytest.mark.django_db
def test_only_organisers_vet_and_vetting_counts_changes(edition, users):
    pending = RegistrationFactory(edition=edition, vetting=Vetting.PENDING)
    approved = RegistrationFactory(edition=edition, vetting=Vetting.APPROVED)
    with pytest.raises(PermissionDenied):
        registrations_vet(
            actor=users["owner_exhibitor"], registration_ids=[pending.pk], approve=True
        )
    assert Registration.objects.get(pk=pending.pk).vetting == Vetting.PENDING
    changed = registrations_vet(
        actor=users["organiser"], registration_ids=[pending.pk, approved.pk], approve=True
    )
    assert changed == 1
    assert is_vetted_for(pending.participant.user, edition)
    registrations_vet(actor=users["organiser"], registration_ids=[approved.pk], approve=False)
    assert not is_vetted_for(approved.participant.user, edition)


@pytest.mark.django_db
def test_role_factory_gives_exact_roles():
    participant = ParticipantFactory(roles=[Role.BUYER, Role.PRESS])
    assert participant.role_set == {"buyer", "press"}


@pytest.mark.django_db
def test_claiming_an_organisation_is_not_enough_to_act_for_it(owner_org, title, users):
    from reelmarket.catalogue.rules import may_edit_title, may_view_title
    from reelmarket.market.services import participants_confirm_organisation

    claimant = ParticipantFactory(
        roles=[Role.SELLER], organisation=owner_org, organisation_confirmed=False
    )
    title.is_published = False
    title.save()
    assert not may_edit_title(claimant.user, title)
    assert not may_view_title(claimant.user, title)
    with pytest.raises(PermissionDenied):
        participants_confirm_organisation(
            actor=users["owner_exhibitor"], participant_ids=[claimant.pk]
        )
    assert (
        participants_confirm_organisation(actor=users["organiser"], participant_ids=[claimant.pk])
        == 1
    )
    claimant.refresh_from_db()
    assert may_edit_title(claimant.user, title)
    assert may_view_title(claimant.user, title)
