"""Two-factor pages: the second sign-in step and the security page."""

from django.urls import path

from digitalfront.accounts.views import security as twofactor

urlpatterns = [
    path("xac-thuc-hai-buoc/", twofactor.verify, name="twofactor_verify"),
    path("bao-mat/", twofactor.security, name="security"),
    path("bao-mat/kich-hoat/", twofactor.setup, name="twofactor_setup"),
    path("bao-mat/ma-du-phong/", twofactor.new_backup_codes, name="backup_codes"),
    path("bao-mat/tat/", twofactor.turn_off, name="twofactor_off"),
]
