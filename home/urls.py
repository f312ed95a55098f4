"""/accounts/: Django's sign-in, sign-out, password change and reset, plus resident sign-up."""

from django.urls import include, path

from home import views

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("", include("django.contrib.auth.urls")),
]
