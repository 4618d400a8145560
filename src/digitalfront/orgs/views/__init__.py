"""The staff pages of the organisational database (module 1). Every page requires login; objects
outside the user's scope answer 404, exactly like missing ones."""

from digitalfront.orgs.views.reports import approvals, report_action, report_entry
from digitalfront.orgs.views.units import (
    completeness_pick,
    completeness_view,
    export_excel,
    home,
    unit_detail,
    unit_tree,
)

__all__ = [
    "approvals",
    "completeness_pick",
    "completeness_view",
    "export_excel",
    "home",
    "report_action",
    "report_entry",
    "unit_detail",
    "unit_tree",
]
