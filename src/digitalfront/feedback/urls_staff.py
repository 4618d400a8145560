"""Front staff's pages for handling cases (``/xu-ly/...``), and the pages of authority accounts."""

from django.urls import path

from .views import authority, staff

app_name = "feedback_staff"

urlpatterns = [
    path("", staff.inbox, name="inbox"),
    path("hang-loat/", staff.bulk, name="bulk"),
    path("co-quan/", authority.authority_inbox, name="authority_inbox"),
    path("co-quan/<int:forwarding_id>/", authority.authority_case, name="authority_case"),
    path("<str:code>/", staff.case_detail, name="case"),
    path("<str:code>/xem-danh-tinh/", staff.reveal, name="reveal"),
    path("<str:code>/<slug:action>/", staff.case_action, name="case_action"),
]
