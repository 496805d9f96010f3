"""The organisers' optimiser pages, mounted at ``meetings/schedule/`` by config/urls.py."""

from django.urls import path

from reelmarket.meetings import views_schedule

app_name = "meetings_schedule"
urlpatterns = [
    path("", views_schedule.schedule_page, name="page"),
    path("run/", views_schedule.schedule_start, name="run"),
    path("publish/", views_schedule.schedule_publish, name="publish"),
]
