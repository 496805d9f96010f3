"""/pitch/: calls and submissions, jury review, and what follows selection."""

from django.urls import include, path

app_name = "pitching"

urlpatterns = [
    path("review/", include("reelmarket.pitching.urls_review")),
    path("", include("reelmarket.pitching.urls_after")),
    path("", include("reelmarket.pitching.urls_apply")),
]
