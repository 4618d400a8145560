"""People's own account pages: citizen registration, password reset, password change."""

from django.urls import path

from digitalfront.accounts.views import people

urlpatterns = [
    path("dang-ky/", people.register, name="register"),
    path("dang-ky/xac-minh/", people.register_verify, name="register_verify"),
    path("quen-mat-khau/", people.password_reset, name="password_reset"),
    path("quen-mat-khau/xac-minh/", people.password_reset_verify, name="password_reset_verify"),
    path("doi-mat-khau/", people.password_change, name="password_change"),
]
