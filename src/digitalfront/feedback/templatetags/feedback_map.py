"""``{% map_url case %}``: a link that shows a case's map point on a web map (``DIGITALFRONT_MAP_LINK``, a
template with ``{lat}`` and ``{lon}``; OpenStreetMap by default, opened in the reader's own browser, so
the platform serves no map tiles; empty: no link)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()

DEFAULT_MAP_LINK = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


@register.simple_tag
def map_url(case: Any) -> str:
    link = getattr(settings, "DIGITALFRONT_MAP_LINK", DEFAULT_MAP_LINK)
    if not link or case.latitude is None or case.longitude is None:
        return ""
    return str(link).format(lat=f"{case.latitude:.6f}", lon=f"{case.longitude:.6f}")
