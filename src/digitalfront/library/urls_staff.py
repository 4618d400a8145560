"""The library's staff pages (``/thu-vien/quan-ly/...``)."""

from django.urls import path

from . import views_staff, views_staff_lists

app_name = "library_staff"

urlpatterns = [
    path("", views_staff.document_list, name="documents"),
    path("tai-len/", views_staff.document_upload, name="upload"),
    path("nhom/", views_staff_lists.group_list, name="groups"),
    path("nhom/<slug:slug>/", views_staff_lists.group_edit, name="group"),
    path("tu-dong-nghia/", views_staff_lists.synonym_list, name="synonyms"),
    path("tu-dong-nghia/<int:pk>/", views_staff_lists.synonym_edit, name="synonym"),
    path("tai-lieu/<slug:slug>/", views_staff.document_detail, name="document"),
    path("tai-lieu/<slug:slug>/phien-ban/", views_staff.version_add, name="version"),
    path("tai-lieu/<slug:slug>/xoa/", views_staff.document_delete, name="delete"),
]
