"""Congress pages under ``/dai-hoi/``: the staff dashboard and its live stream (``views_dashboard``);
entry, confirmation and the public page (``views_entry``, ``views_public``)."""

from django.urls import path

from . import views_dashboard, views_entry, views_public

app_name = "congresses"

urlpatterns = [
    # the dashboard (views_dashboard)
    path("", views_dashboard.dashboard, name="dashboard"),
    path("tinh/<str:code>/", views_dashboard.province, name="province"),
    path("su-kien/", views_dashboard.events, name="events"),
    path("xuat-excel/", views_dashboard.export, name="export"),
    # entry, confirmation, news (views_entry) and the public page (views_public)
    path("nhap/", views_entry.entry_list, name="entry_list"),
    path("nhap/du-kien/", views_entry.entry_plan, name="entry_plan"),
    path("nhap/<int:pk>/", views_entry.entry_detail, name="entry_detail"),
    path("nhap/<int:pk>/tinh-trang/", views_entry.entry_status, name="entry_status"),
    path("nhap/<int:pk>/tin/", views_entry.news_add, name="news_add"),
    path("xac-nhan/", views_entry.confirm_list, name="confirm_list"),
    path("xac-nhan/<int:pk>/", views_entry.confirm_confirm, name="confirm_confirm"),
    path("xac-nhan/<int:pk>/tra-lai/", views_entry.confirm_return, name="confirm_return"),
    path("cong-khai/", views_public.public, name="public"),
]
