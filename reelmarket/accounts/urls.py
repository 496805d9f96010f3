from django.urls import path

from reelmarket.accounts import views

app_name = "accounts"
urlpatterns: list = []
