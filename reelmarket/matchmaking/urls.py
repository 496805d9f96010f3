"""URLs of the "For you" pages (mounted at /for-you/)."""

from django.urls import path

from reelmarket.matchmaking import views

app_name = "matchmaking"

urlpatterns = [
    path("", views.for_you, name="for_you"),
    path("feedback/", views.feedback, name="feedback"),
    path("suggestions/<int:pk>/request/", views.request_meeting, name="request_meeting"),
    path("titles/<int:pk>/buyers/", views.buyers_for_title, name="buyers_for_title"),
    path("interests/", views.interest_add, name="interest_add"),
    path("interests/<int:pk>/remove/", views.interest_remove, name="interest_remove"),
    path("recompute/", views.recompute, name="recompute"),
    path("runs/", views.runs, name="runs"),
]
