"""The two wire formats of Open311 GeoReport v2: JSON and XML, built from the same Python data.

A response is plain data (dicts, lists, strings, numbers, booleans, ``None``). JSON writes it as it is;
XML wraps it in the root element the spec names (``services``, ``service_requests``, ``errors``, ...)
and gives every list item the element name the spec uses for it (``service``, ``request``, ``error``,
``endpoint``, ``format``, ``attribute``, ``value``). ElementTree escapes the text.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

# the element name of one item of a list, by the list's element name (GeoReport v2)
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

# characters XML 1.0 cannot carry at all, even escaped: without this a stray control character in a
# citizen's text would make the whole document unreadable for the client
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def to_xml(root: str, data: Any) -> bytes:
    """``data`` as a UTF-8 XML document whose root element is ``root``."""
    element = ET.Element(root)
    _fill(element, data)
    return (XML_DECLARATION + ET.tostring(element, encoding="unicode")).encode()


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif value is None:
        return  # an empty element, as the spec's examples show missing values
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML.sub("", str(value))


def to_json(data: Any) -> bytes:
    """``data`` as UTF-8 JSON, Vietnamese letters kept as they are (not ``\\u`` escapes)."""
    return json.dumps(data, ensure_ascii=False).encode()


def respond(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """An HTTP response carrying ``data`` in ``fmt`` (``json`` or ``xml``)."""
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """An Open311 error: ``[{"code": status, "description": ...}]`` or ``<errors><error>...``."""
    return respond(fmt, "errors", [{"code": status, "description": description}], status=status)
