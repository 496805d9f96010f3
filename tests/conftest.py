"""Shared fixtures: one user per role the permission tests walk through."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from reelmarket.market.enums import Role
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    TitleFactory,
    UserFactory,
    make_user_with_roles,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# under a running loop unless told it is safe (the loop belongs to the browser, not to us).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Hashing with the production hasher costs ~0.3 s a password; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run when the transaction commits, in the test's thread.
    settings.TASKS_MODE = "immediate"
    # Saving a title does not embed it unless a test asks for indexing (`search_indexing`).
    settings.SEARCH_AUTO_INDEX = False


@pytest.fixture(autouse=True)
def _fresh_search_engine(tmp_path_factory, settings):
    """Each test sees its own database state: the in-process search engine starts empty."""
    from reelmarket.discovery.engine import engine_reset

    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search-index")
    engine_reset()
    yield
    engine_reset()


@pytest.fixture
def search_indexing(settings):
    """Titles saved through the catalogue services are indexed (documents and vectors)."""
    settings.SEARCH_AUTO_INDEX = True


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through the test client leaves
    the language it negotiated active in the thread (LocaleMiddleware does not reset it)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition(db):
    return EditionFactory(is_current=True, name="FILMART 2025", slug="filmart-2025")


@pytest.fixture
def owner_org(db):
    return OrganisationFactory(name="Tokyo Sales Co", slug="tokyo-sales")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Seoul Pictures", slug="seoul-pictures", country="KR")


@pytest.fixture
def title(owner_org):
    return TitleFactory(owner=owner_org, reference="TS-001", original_title="Summer Lanterns")


@pytest.fixture
def users(db, owner_org, other_org):
    """anonymous (None), participant (a buyer), other exhibitor, owner exhibitor, organiser."""
    return {
        "anonymous": None,
        "participant": make_user_with_roles(Role.BUYER),
        "other_exhibitor": make_user_with_roles(Role.SELLER, organisation=other_org),
        "owner_exhibitor": make_user_with_roles(Role.SELLER, organisation=owner_org),
        "organiser": make_user_with_roles(Role.ORGANISER),
    }


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)
