"""What the service layer answers when it refuses: the API turns these into problem+json, the
UI into a message on the page. Every one names the field and the rule where there is one."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status = 400
    code = "error"
    title = "Error"

    def __init__(self, detail: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.rule = rule


class BadInputError(ServiceError):
    status = 400
    code = "invalid-input"
    title = "Invalid input"

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}", field=field, rule=rule)


class NotFoundError(ServiceError):
    """Also the answer for a person outside the actor's scope: it must not reveal existence."""

    status = 404
    code = "not-found"
    title = "Not found"


class ForbiddenError(ServiceError):
    """The role may not perform this action on this resource at all (independent of which
    object was asked for, so it reveals nothing about objects)."""

    status = 403
    code = "forbidden"
    title = "Forbidden"


class PreconditionRequiredError(ServiceError):
    status = 428
    code = "precondition-required"
    title = "Precondition required"


class ConflictError(ServiceError):
    """A stale write: the version the caller read is no longer current."""

    status = 409
    code = "version-conflict"
    title = "Version conflict"

    def __init__(self, detail: str, *, current_version: int, current: dict[str, Any]) -> None:
        super().__init__(detail, field="If-Match", rule="must name the current version")
        self.current_version = current_version
        self.current = current
