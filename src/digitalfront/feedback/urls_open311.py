"""Open311 GeoReport v2 (``/open311/v2/``): every endpoint with its ``.json`` or ``.xml`` suffix.

The suffix is captured as ``fmt`` and checked by the view, so that an unknown one gets an Open311 error
(404) rather than the site's HTML page.
"""

from django.urls import path

from . import open311

app_name = "open311"

urlpatterns = [
    path("discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("services.<str:fmt>", open311.services, name="services"),
    path("services/<str:service_code>.<str:fmt>", open311.service_definition, name="service"),
    path("requests.<str:fmt>", open311.requests_, name="requests"),
    path("requests/<str:service_request_id>.<str:fmt>", open311.request_detail, name="request"),
    path("tokens/<str:token>.<str:fmt>", open311.token_lookup, name="token"),
]
