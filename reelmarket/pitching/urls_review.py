"""/pitch/review/: the jury review (namespace ``pitching``, names ``review_*``)."""

from django.urls import URLPattern, URLResolver, path

from reelmarket.pitching import views_review as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.review_home, name="review_home"),
    # reviewers
    path("calls/<int:call_id>/mine/", views.review_mine, name="review_mine"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/reopen/", views.review_reopen, name="review_reopen"),
    path("reviews/<int:pk>/conflict/", views.review_declare_conflict, name="review_conflict"),
    # organisers
    path("calls/<int:call_id>/", views.review_manage, name="review_manage"),
    path("calls/<int:call_id>/reviewers/", views.review_reviewer_add, name="review_reviewer_add"),
    path("reviewers/<int:pk>/", views.review_reviewer_update, name="review_reviewer_update"),
    path("reviewers/<int:pk>/remove/", views.review_reviewer_remove, name="review_reviewer_remove"),
    path("calls/<int:call_id>/assign/", views.review_assign, name="review_assign"),
    path("calls/<int:call_id>/lock/", views.review_lock, name="review_lock"),
    path("calls/<int:call_id>/conflicts/", views.review_conflicts, name="review_conflicts"),
    path("conflicts/<int:pk>/remove/", views.review_conflict_remove, name="review_conflict_remove"),
    path("calls/<int:call_id>/ranking/", views.review_ranking, name="review_ranking"),
    path("submissions/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("sections/<int:pk>/select-top/", views.review_select_top, name="review_select_top"),
]
