"""The data entry form of a report.

Checking the figures is the job of ``services.reports.clean_report_data`` (the API uses the same
rules): this form only lays out the fields, turns the posted strings into the service's input, and
puts a :class:`DomainError` next to the field it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from digitalfront.core.errors import DomainError
from digitalfront.orgs.models import CORE_MEASURES, Indicator, Report, ValueType
from digitalfront.orgs.services.reports import TEXT_FIELDS

INDICATOR_PREFIX = "chi-tieu-"
YES, NO = "true", "false"
HELP = {
    "members": "Hội viên, đoàn viên sinh hoạt trực tiếp tại tổ chức này.",
    "staff_fulltime": "Không lớn hơn số hội viên, đoàn viên.",
}


def group_digits(value: int) -> str:
    """``1234567`` -> ``"1.234.567"`` (the service reads dots and commas as separators)."""
    return f"{value:,}".replace(",", ".")


@dataclass
class EntryField:
    name: str  # the HTML name
    label: str
    kind: str  # "number", "money", "boolean", "text" (one line), "longtext"
    value: str = ""
    error: str = ""
    help: str = ""

    @property
    def display(self) -> str:
        """The value as shown on the read-only page."""
        if self.kind == "boolean":
            return {YES: "Có", NO: "Không"}.get(self.value, "—")
        return self.value or "—"

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "money")


class ReportEntryForm:
    """Fields of one report: the fixed numbers, the data set's indicators for the organisation, and
    the three texts. Built from the stored report (``report``) or from what was posted (``data``)."""

    def __init__(self, *, indicators: list[Indicator], report: Report | None = None,
                 data: QueryDict | dict[str, Any] | None = None) -> None:
        self.indicators = indicators
        self.errors: list[str] = []  # errors that belong to no field
        self.numbers = [
            EntryField(name, label, "number", help=HELP.get(name, "")) for name, label in CORE_MEASURES.items()
        ]
        self.extra = [self._indicator_field(ind) for ind in indicators]
        self.texts = [EntryField(name, label, "longtext") for name, label in TEXT_FIELDS.items()]
        if data is not None:
            for field in self.fields:
                field.value = str(data.get(field.name, "") or "")
        elif report is not None:
            self._fill(report)

    @staticmethod
    def _indicator_field(ind: Indicator) -> EntryField:
        kind = {
            ValueType.NUMBER: "number", ValueType.MONEY: "money", ValueType.BOOLEAN: "boolean",
        }.get(ValueType(ind.value_type), "text")
        label = ind.name + (" (đồng)" if kind == "money" else "")
        return EntryField(INDICATOR_PREFIX + ind.code, label, kind, help=ind.help_text)

    @property
    def fields(self) -> list[EntryField]:
        return [*self.numbers, *self.extra, *self.texts]

    def _fill(self, report: Report) -> None:
        for field in self.numbers:
            field.value = group_digits(int(getattr(report, field.name) or 0))
        for field in self.texts:
            field.value = getattr(report, field.name) or ""
        values = report.values or {}
        for ind, field in zip(self.indicators, self.extra, strict=True):
            raw = values.get(ind.code)
            if raw is None:
                field.value = ""
            elif field.kind == "boolean":
                field.value = YES if raw else NO
            elif field.numeric and isinstance(raw, int):
                field.value = group_digits(raw)
            else:
                field.value = str(raw)

    def service_data(self) -> dict[str, Any]:
        """The input of ``services.reports.save_report``."""
        data: dict[str, Any] = {f.name: f.value for f in (*self.numbers, *self.texts)}
        values: dict[str, Any] = {}
        for ind, field in zip(self.indicators, self.extra, strict=True):
            if field.value.strip():
                values[ind.code] = field.value
        data["values"] = values
        return data

    def add_error(self, exc: DomainError) -> None:
        """Attach ``exc`` to the field it names (``values.<code>`` for indicators), else to the form."""
        name = exc.field or ""
        if name.startswith("values."):
            name = INDICATOR_PREFIX + name[len("values."):]
        for field in self.fields:
            if field.name == name:
                field.error = exc.message
                return
        self.errors.append(exc.message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(f.error for f in self.fields)
