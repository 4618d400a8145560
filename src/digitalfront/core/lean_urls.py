"""The URL configuration of the lean handler (``core.lean``): the submission endpoint resolved first, then
every route of the site, so that ``reverse()`` in the view finds all of them. The endpoint's view is
``feedback.api_direct``'s, in front of ninja's view of the same URL."""

from django.urls import get_resolver, path

from digitalfront import urls as site
from digitalfront.feedback.api_direct import direct

_endpoint = get_resolver(site.__name__).resolve("/api/v1/feedback/")
urlpatterns = [path("api/v1/feedback/", direct(_endpoint.func)), *site.urlpatterns]
