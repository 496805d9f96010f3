from django.urls import path

from reelmarket.discovery import views

app_name = "discovery"
urlpatterns: list = [
    path("", views.search_page, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("similar/<int:title_id>/", views.similar, name="similar"),
]
