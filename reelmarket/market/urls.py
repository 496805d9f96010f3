from django.urls import path

from reelmarket.market import views

app_name = "market"
urlpatterns: list = []
