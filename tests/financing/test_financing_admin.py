"""The organiser back office lists projects (with gap) and investor profiles."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.financing.projects_world import World

pytestmark = pytest.mark.django_db


def test_admin_pages(staff_user):
    world = World()
    client = Client()
    client.force_login(staff_user)
    page = client.get("/admin/financing/project/").content.decode()
    assert "Monsoon Ledger" in page and "780,000 USD (35.0 % secured)" in page
    assert client.get(f"/admin/financing/project/{world.project.pk}/change/").status_code == 200
    assert client.get("/admin/financing/investorprofile/").status_code == 200
    assert (
        client.get(f"/admin/financing/investorprofile/{world.profile.pk}/change/").status_code
        == 200
    )
