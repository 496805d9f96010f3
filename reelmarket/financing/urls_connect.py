"""Producers Connect sessions, mounted at ``connect/sessions/`` inside the ``financing``
namespace (names start with ``connect_``)."""

from django.urls import path

from reelmarket.financing import views_connect as v

urlpatterns = [
    path("", v.session_list, name="connect_sessions"),
    path("new/", v.session_new, name="connect_session_new"),
    path("<int:pk>/", v.session_detail, name="connect_session"),
    path("<int:pk>/edit/", v.session_edit, name="connect_session_edit"),
    path("<int:pk>/state/", v.session_state, name="connect_session_state"),
    path("<int:pk>/register/", v.session_register, name="connect_register"),
    path("<int:pk>/withdraw/", v.session_withdraw, name="connect_withdraw"),
    path("<int:pk>/no-thanks/", v.no_thanks, name="connect_no_thanks"),
    path("<int:pk>/registrations/", v.registrations, name="connect_registrations"),
    path("<int:pk>/rotation/", v.rotation, name="connect_rotation"),
    path("<int:pk>/rotation/build/", v.build, name="connect_build"),
    path("<int:pk>/rotation/publish/", v.publish, name="connect_publish"),
    path("<int:pk>/sheets/", v.sheets, name="connect_sheets"),
    path("<int:pk>/mine/", v.mine, name="connect_mine"),
    path("<int:pk>/seats/<int:seat_id>/feedback/", v.feedback, name="connect_feedback"),
    path("<int:pk>/feedback/", v.feedback_summary, name="connect_feedback_summary"),
]
