from django.urls import path

from reelmarket.catalogue import views

app_name = "catalogue"
urlpatterns: list = []
