from django.urls import path

from reelmarket.market import views

app_name = "market"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("exhibitors/", views.exhibitors, name="exhibitors"),
    path("pavilions/", views.pavilions, name="pavilions"),
    path("pavilions/<slug:slug>/", views.pavilion, name="pavilion"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("participants/", views.participants, name="participants"),
    path("participants/<int:pk>/", views.participant, name="participant"),
]
