"""Staff reports on feedback (``/xu-ly/bao-cao/...``): Excel export and charts; the authority directory
and answer templates (``/xu-ly/danh-ba/...``).

Included before ``urls_staff`` under the same prefix, whose ``<code>/`` would catch anything: every path
here starts with ``bao-cao/`` or ``danh-ba/``, which are never case codes (those start with ``PA-``).
"""

from django.urls import path

from .views import directory, reports

app_name = "feedback_reports"

urlpatterns = [
    path("bao-cao/xuat-excel/", reports.export, name="export"),
    path("bao-cao/bieu-do/", reports.charts_page, name="charts"),
    path("danh-ba/", directory.authority_list, name="authorities"),
    path("danh-ba/them/", directory.authority_create, name="authority_create"),
    path("danh-ba/<int:pk>/", directory.authority_detail, name="authority"),
    path("danh-ba/<int:pk>/ngung-dung/", directory.authority_deactivate, name="authority_deactivate"),
    path("danh-ba/<int:pk>/tai-khoan/gan/", directory.account_attach, name="account_attach"),
    path("danh-ba/<int:pk>/tai-khoan/tao/", directory.account_create, name="account_create"),
    path("danh-ba/<int:pk>/tai-khoan/<int:user_id>/go/", directory.account_detach, name="account_detach"),
    path("danh-ba/mau-tra-loi/", directory.template_list, name="templates"),
    path("danh-ba/mau-tra-loi/them/", directory.template_create, name="template_create"),
    path("danh-ba/mau-tra-loi/<int:pk>/", directory.template_edit, name="template"),
    path("danh-ba/mau-tra-loi/<int:pk>/xoa/", directory.template_delete, name="template_delete"),
]
