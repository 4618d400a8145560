"""Public pages of answered cases and statistics (``/phan-anh/...``)."""

from django.urls import path

from .views import public

app_name = "feedback_public"

urlpatterns = [
    path("", public.case_list, name="list"),
    path("cong-khai/<str:code>/", public.case_detail, name="case"),
    path("cong-khai/<str:code>/bao-vi-pham/", public.report_abuse, name="report_abuse"),
    path("thong-ke/", public.stats, name="stats"),
]
