"""Domain errors. Services raise them with a Vietnamese message; pages and the API show the same text."""


class DomainError(Exception):
    """A request that the domain refuses. ``status`` is the HTTP status the edge answers with."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"detail": self.message, "field": self.field, "code": self.code}


class ValidationFailed(DomainError):
    """Input that breaks a rule (negative counts, staff larger than members, ...)."""

    status = 422


class InvalidState(DomainError):
    """An action that the object's current state does not allow (editing a locked report, ...)."""

    status = 409


class NotFound(DomainError):
    """Missing *or* not visible to this user: both give the same answer (no existence leak)."""

    status = 404

    def __init__(self, message: str = "Không tìm thấy hoặc bạn không có quyền truy cập.") -> None:
        super().__init__(message, code="not_found")


class PermissionDenied(DomainError):
    """Visible, but this user may not do that to it."""

    status = 403

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
        super().__init__(message, code="forbidden")
