"""What the service layer answers when it refuses: the API turns these into problem+json, the
UI into a message on the page. Every one names the field and the rule where there is one, in
English (``detail``, ``rule``: what API clients have matched on since the first release) and in
Dutch (``detail_nl``, ``rule_nl``: what a person at the chain reads)."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status = 400
    code = "error"
    title = "Error"
    title_nl = "Fout"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        rule: str | None = None,
        detail_nl: str | None = None,
        rule_nl: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.rule = rule
        # Until every message has its Dutch text (the long tail of the catalogue's and the
        # rules' own checks), the English stands in rather than nothing.
        self.rule_nl = rule_nl if rule_nl is not None else rule
        if detail_nl is None:
            detail_nl = f"{field}: {rule_nl}" if field and rule_nl else detail
        self.detail_nl = detail_nl

    def detail_in(self, language: str) -> str:
        return self.detail if language.startswith("en") else self.detail_nl

    def rule_in(self, language: str) -> str | None:
        return self.rule if language.startswith("en") else self.rule_nl


class BadInputError(ServiceError):
    status = 400
    code = "invalid-input"
    title = "Invalid input"
    title_nl = "Ongeldige invoer"

    def __init__(self, field: str, rule: str, rule_nl: str | None = None) -> None:
        super().__init__(f"{field}: {rule}", field=field, rule=rule, rule_nl=rule_nl)


class ContradictionError(BadInputError):
    """Well-formed input that contradicts what the dossier already holds (a decision before the
    application, a second open placement): refused and nothing stored, like bad input, but
    named as such so a client can tell a typing error from a conflict with the case."""

    status = 422
    code = "contradicts-case"
    title = "Contradicts the case"
    title_nl = "In strijd met het dossier"


class NotFoundError(ServiceError):
    """Also the answer for a person outside the actor's scope: it must not reveal existence."""

    status = 404
    code = "not-found"
    title = "Not found"
    title_nl = "Niet gevonden"


class ForbiddenError(ServiceError):
    """The role may not perform this action on this resource at all (independent of which
    object was asked for, so it reveals nothing about objects)."""

    status = 403
    code = "forbidden"
    title = "Forbidden"
    title_nl = "Niet toegestaan"


class PreconditionRequiredError(ServiceError):
    status = 428
    code = "precondition-required"
    title = "Precondition required"
    title_nl = "Versie vereist"


class PayloadTooLargeError(ServiceError):
    status = 413
    code = "payload-too-large"
    title = "Payload too large"
    title_nl = "Verzoek te groot"


class IdentityConflictError(ServiceError):
    """A V-number or BSN that the chain's register already holds. The answer is the same
    whoever holds it, whether the actor may see that person or not: it names the identifier,
    never the person (services/commands.py ``identity_conflict``)."""

    status = 409
    code = "identity-conflict"
    title = "Identifier already registered"
    title_nl = "Identificatie al geregistreerd"

    def __init__(self, field: str) -> None:
        what_en, what_nl = {"v_number": ("V-number", "V-nummer"), "bsn": ("BSN", "BSN")}[field]
        super().__init__(
            f"{field}: this {what_en} is already registered in the chain; nothing was stored",
            field=field,
            rule=f"a {what_en} belongs to one person: ask the IND to establish the identity "
            "(it can hand the existing dossier over to you)",
            detail_nl=f"{field}: dit {what_nl} is al geregistreerd in de keten; er is niets "
            "vastgelegd",
            rule_nl=f"een {what_nl} hoort bij één persoon: vraag de IND de identiteit vast te "
            "stellen (die kan het bestaande dossier aan u overdragen)",
        )


class ConflictError(ServiceError):
    """A stale write: the version the caller read is no longer current."""

    status = 409
    code = "version-conflict"
    title = "Version conflict"
    title_nl = "Versieconflict"

    def __init__(self, detail: str, *, current_version: int, current: dict[str, Any]) -> None:
        super().__init__(
            detail,
            field="If-Match",
            rule="must name the current version",
            detail_nl=f"iemand anders heeft dit intussen gewijzigd (nu versie {current_version})",
            rule_nl="moet de huidige versie noemen",
        )
        self.current_version = current_version
        self.current = current


class UnavailableError(ServiceError):
    """What was asked needs a part this installation lacks (a PDF without pango): nothing is
    wrong with the request, and the same page in HTML still works."""

    status = 503
    code = "unavailable"
    title = "Unavailable"
    title_nl = "Niet beschikbaar"


class BulkRefusedError(ServiceError):
    """A bulk request (assign, hand over) of which one or more items were refused: nothing was
    stored, and ``items`` names each refused procedure with its field and rule."""

    status = 422
    code = "bulk-refused"
    title = "Some items were refused; nothing was stored"
    title_nl = "Niet alles kon; er is niets vastgelegd"

    def __init__(self, action: tuple[str, str], items: list[dict[str, Any]]) -> None:
        """``action``: what was refused, in English and Dutch ("assigned", "toegewezen")."""
        n = len(items)
        super().__init__(
            f"{n} of the procedures cannot be {action[0]}; nothing was stored (each is named "
            "in items)",
            field="procedures",
            rule="every item must be allowed: the request is all or nothing",
            detail_nl=f"{n} van de procedures {'kan' if n == 1 else 'kunnen'} niet worden "
            f"{action[1]}; er is niets vastgelegd",
            rule_nl="elk onderdeel moet zijn toegestaan: het verzoek slaagt geheel of niet",
        )
        self.items = items
