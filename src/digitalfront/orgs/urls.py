"""Staff pages (Vietnamese paths)."""

from django.urls import path

from digitalfront.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/", views.unit_tree, name="units"),
    path("don-vi/<int:unit_id>/", views.unit_detail, name="unit"),
    path("don-vi/<int:unit_id>/bao-cao/<int:period_id>/<slug:org_code>/", views.report_entry, name="report"),
    path("don-vi/<int:unit_id>/tien-do/", views.completeness_pick, name="completeness_pick"),
    path("don-vi/<int:unit_id>/tien-do/<int:period_id>/", views.completeness_view, name="completeness"),
    path("don-vi/<int:unit_id>/xuat-excel/<int:period_id>/", views.export_excel, name="export"),
    path("duyet/", views.approvals, name="approvals"),
    path("duyet/<int:report_id>/<slug:action>/", views.report_action, name="report_action"),
]
