"""The URL configuration of the lean handler (``core.lean``): the submission endpoint resolved first, then
every route of the site, so that ``reverse()`` in the view finds all of them."""

from django.urls import get_resolver, path

from digitalfront import urls as site

_endpoint = get_resolver(site.__name__).resolve("/api/v1/feedback/")
urlpatterns = [path("api/v1/feedback/", _endpoint.func), *site.urlpatterns]
