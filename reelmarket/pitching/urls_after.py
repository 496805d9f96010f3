"""/pitch/<call>/…: the programme, selected projects and dossiers, meeting wishes, and the
organisers' sessions, one-on-one grid, awards and dashboard (namespace ``pitching``)."""

from django.urls import URLPattern, URLResolver, path

from reelmarket.pitching import views_after as v
from reelmarket.pitching import views_dashboard

urlpatterns: list[URLPattern | URLResolver] = [
    # Public
    path("<slug:call>/programme/", v.programme, name="programme"),
    path("<slug:call>/programme/<int:pk>.ics", v.session_ics, name="session_ics"),
    path("<slug:call>/projects/", v.projects, name="projects"),
    path("<slug:call>/projects/<int:pk>/", v.dossier, name="dossier"),
    # Financiers
    path("<slug:call>/projects/<int:pk>/wish/", v.wish_set, name="wish_set"),
    path("<slug:call>/projects/<int:pk>/wish/withdraw/", v.wish_withdraw, name="wish_withdraw"),
    path("<slug:call>/wishes/", v.my_wishes, name="my_wishes"),
    # Organisers
    path("<slug:call>/sessions/", v.sessions, name="sessions"),
    path("<slug:call>/sessions/<int:pk>/", v.session_detail, name="session"),
    path("<slug:call>/sessions/<int:pk>/add/", v.session_add, name="session_add"),
    path("<slug:call>/sessions/<int:pk>/fill/", v.session_fill, name="session_fill"),
    path("<slug:call>/sessions/<int:pk>/move/", v.session_move, name="session_move"),
    path("<slug:call>/sessions/<int:pk>/remove/", v.session_remove, name="session_remove"),
    path("<slug:call>/sessions/<int:pk>/delete/", v.session_delete, name="session_delete"),
    path("<slug:call>/wishes/overview/", v.wishes_overview, name="wishes_overview"),
    path("<slug:call>/wishes/build-grid/", v.grid_build, name="grid_build"),
    path("<slug:call>/awards/", v.awards, name="awards"),
    path("<slug:call>/awards/<int:pk>/winner/", v.award_winner, name="award_winner"),
    path("<slug:call>/awards/<int:pk>/delete/", v.award_delete, name="award_delete"),
    path("<slug:call>/dashboard/", views_dashboard.dashboard, name="dashboard"),
]
