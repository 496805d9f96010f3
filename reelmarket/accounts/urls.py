from django.urls import path

from reelmarket.accounts import views

app_name = "accounts"
urlpatterns: list = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup_view, name="signup"),
    path("profile/", views.profile_view, name="profile"),
    path("tokens/", views.tokens_view, name="tokens"),
]
