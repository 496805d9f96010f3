"""The demo hook: one session filled, built and published through the services."""

from __future__ import annotations

import pytest

from reelmarket.financing.enums_connect import SessionState
from reelmarket.financing.models import ConnectRegistration, ConnectSeat, ConnectSession
from reelmarket.market.demo.connect import SESSION_NAME, write_demo_connect
from reelmarket.market.enums import Role, Vetting
from tests.factories import EditionFactory, make_user_with_roles
from tests.financing.factories import InvestorProfileFactory, ProjectFactory
from tests.meetings.factories import person

pytestmark = pytest.mark.django_db


def test_write_demo_connect_fills_builds_and_publishes(mailoutbox):
    edition = EditionFactory()
    organiser = make_user_with_roles(Role.ORGANISER)
    for _ in range(6):
        ProjectFactory(owner=person(edition, Role.PRODUCER))
    ProjectFactory(owner=person(edition, Role.PRODUCER, vetting=Vetting.PENDING))  # left out
    for _ in range(5):
        InvestorProfileFactory(participant=person(edition, Role.INVESTOR), stages=[])
    counts = write_demo_connect(edition, rounds=3, tables=4, producers=5, partners=4)
    session = ConnectSession.objects.get(edition=edition, name=SESSION_NAME)
    assert (counts.session_id, counts.producers, counts.partners) == (session.pk, 5, 4)
    assert session.state == SessionState.PUBLISHED
    assert session.local_start().isoformat() == "2025-03-18T10:00:00+08:00"
    assert counts.meetings == ConnectSeat.objects.filter(session=session).count() == 12
    assert ConnectRegistration.objects.filter(session=session).count() == 9
    assert mailoutbox == []  # the demo sends no mail
    again = write_demo_connect(
        edition, rounds=3, tables=4, producers=5, partners=4, actor=organiser
    )
    assert ConnectSession.objects.filter(edition=edition).count() == 1
    assert again.meetings == counts.meetings


def test_write_demo_connect_needs_people():
    assert write_demo_connect(EditionFactory()) is None
