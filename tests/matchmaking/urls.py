"""The project's URLs plus the "For you" pages and the matchmaking API, for these tests
(the lead mounts them in ``config/urls.py`` and ``api/api.py``; until then tests use this)."""

from django.urls import include, path

from reelmarket.api import errors
from reelmarket.api.api import ReelMarketAPI
from reelmarket.config.urls import urlpatterns as project_urls
from reelmarket.matchmaking.api import router

test_api = ReelMarketAPI(
    title="ReelMarket API (matchmaking tests)",
    version="1-matchmaking-tests",
    urls_namespace="matchmaking_test_api",
    docs_url=None,
    openapi_url=None,
)
errors.install(test_api)
test_api.add_router("/", router)

urlpatterns = [
    path("for-you/", include("reelmarket.matchmaking.urls")),
    path("api/v1/", test_api.urls),
    *project_urls,
]
