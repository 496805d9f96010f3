from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from reelmarket.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("reelmarket.accounts.urls")),
    path("catalogue/", include("reelmarket.catalogue.urls")),
    path("search/", include("reelmarket.discovery.urls")),
    path("meetings/schedule/", include("reelmarket.meetings.urls_schedule")),
    path("meetings/", include("reelmarket.meetings.urls")),
    path("connect/", include("reelmarket.financing.urls")),
    path("pitch/", include("reelmarket.pitching.urls")),
    path("for-you/", include("reelmarket.matchmaking.urls")),
    path("", include("reelmarket.market.urls")),
    # Uploaded posters and logos; a production deployment serves var/media from its proxy.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
]
