"""Staff account management by unit administrators, under ``/tai-khoan/can-bo/``."""

from django.urls import path

from digitalfront.accounts.views import staff

urlpatterns = [
    path("", staff.staff_list, name="staff_list"),
    path("tao-moi/", staff.staff_create, name="staff_create"),
    path("nhap-excel/", staff.staff_import, name="staff_import"),
    path("nhap-excel/mau.xlsx", staff.staff_import_template, name="staff_import_template"),
    path("nhap-excel/bao-cao-loi.xlsx", staff.staff_import_errors, name="staff_import_errors"),
    path("nhap-excel/ket-qua.xlsx", staff.staff_import_result, name="staff_import_result"),
    path("<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("<int:pk>/vai-tro/them/", staff.staff_role_add, name="staff_role_add"),
    path("<int:pk>/vai-tro/<int:role_id>/bo/", staff.staff_role_remove, name="staff_role_remove"),
    path("<int:pk>/dat-lai-mat-khau/", staff.staff_password_reset, name="staff_password_reset"),
]
