"""/pitch/: calls (public), applying, an applicant's submissions, the organisers' overview."""

from django.urls import URLPattern, URLResolver, path

from reelmarket.pitching import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.calls_page, name="calls"),
    path("calls/<int:call_id>/", views.call_page, name="call"),
    path("calls/<int:call_id>/apply/", views.apply_page, name="apply"),
    path("calls/<int:call_id>/overview/", views.call_overview, name="call_overview"),
    path("submissions/", views.my_submissions, name="my_submissions"),
    path("submissions/<int:submission_id>/", views.submission_page, name="submission"),
    path("submissions/<int:submission_id>/edit/", views.submission_edit, name="submission_edit"),
    path(
        "submissions/<int:submission_id>/submit/",
        views.submission_submit,
        name="submission_submit",
    ),
    path(
        "submissions/<int:submission_id>/withdraw/",
        views.submission_withdraw,
        name="submission_withdraw",
    ),
    path(
        "submissions/<int:submission_id>/delete/",
        views.submission_delete,
        name="submission_delete",
    ),
    path("submissions/<int:submission_id>/move/", views.submission_move, name="submission_move"),
]
