"""The kinds of exchange message, one registry: what each carries, its legal basis and purpose
as the sender states them, and the check of its body. A new kind (sharing country-of-origin
information, seed 000 point 7; return cooperation, point 3) is one more entry here.

The same check runs when a message is written and when one is received: a partner's message
that does not follow its kind is refused like any bad input, with the field named.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from keten.chain.identity import IdentityError, PartialDate, check_nationality
from keten.server.exchange.models import OUTCOMES, PARTLY_ANSWERED, REFUSED
from keten.server.services.errors import BadInputError
from keten.server.services.inputs import text

MAX_QUESTION = 4000
MAX_ANSWER = 16000
MAX_REFERENCES = 10
OUTCOME_NAMES = {
    "answered": ("beantwoord", "answered"),
    "partly_answered": ("deels beantwoord", "partly answered"),
    "refused": ("geweigerd", "refused"),
    "open": ("open", "open"),
    "taken_over": ("overgenomen", "taken over"),
}


@dataclass(frozen=True)
class Kind:
    id: str
    name_nl: str
    name_en: str
    legal_basis: str  # what the sender states by default; a request may state its own
    purpose: str
    source: str  # where the exchange is agreed
    is_answer: bool
    check_body: Callable[[Mapping[str, Any]], dict[str, Any]]
    # Information shared without a question (a COI report, a flight programme): no answer is
    # owed; the receiving side takes it over into its own records or leaves it.
    informs: bool = False
    # The roles that send, read and handle this kind: the exchange's right (policy.yaml) says
    # a role takes part at all, this says in what. DTenV shares flight programmes, never 1F.
    # Each side names its own services: the IND's Unit 1F and the DVZ's Bureau Opsporingen
    # (seed 000 point 5), both countries' liaison officers (point 1).
    roles: frozenset[str] = frozenset(
        {"liaison_officer", "ind_unit_1f", "dvz_liaison_officer", "dvz_bureau_opsporingen"}
    )


def _object(data: Mapping[str, Any], field: str) -> Mapping[str, Any]:
    value = data.get(field)
    if not isinstance(value, Mapping):
        raise BadInputError(field, "must be a JSON object", "moet een JSON-object zijn")
    return value


def person(data: Mapping[str, Any]) -> dict[str, Any]:
    """The person as the other side can match them: names, birth date, nationality and the
    partner's own reference numbers, never our internal ids (a V-number means nothing there)."""
    raw = _object(data, "person")
    out: dict[str, Any] = {
        "surname": text(raw, "surname", max_len=200),
        "given_names": text(raw, "given_names", required=False, max_len=200),
    }
    try:
        out["birth_date"] = str(PartialDate.parse(text(raw, "birth_date", max_len=10)))
        out["nationality"] = check_nationality(text(raw, "nationality", max_len=3))
    except IdentityError as exc:
        raise BadInputError(f"person.{exc.field}", exc.rule, exc.rule_nl) from None
    refs = raw.get("foreign_references", [])
    if not isinstance(refs, list) or len(refs) > MAX_REFERENCES:
        raise BadInputError(
            "person.foreign_references",
            f"must be a list of at most {MAX_REFERENCES} references",
            f"moet een lijst van ten hoogste {MAX_REFERENCES} kenmerken zijn",
        )
    out["foreign_references"] = []
    for ref in refs:
        if not isinstance(ref, Mapping):
            raise BadInputError(
                "person.foreign_references",
                "each reference is an object with issuer and number",
                "elk kenmerk is een object met issuer (uitgever) en number (nummer)",
            )
        out["foreign_references"].append(
            {"issuer": text(ref, "issuer", max_len=64), "number": text(ref, "number", max_len=64)}
        )
    return out


def _request_1f(body: Mapping[str, Any]) -> dict[str, Any]:
    return {"person": person(body), "question": text(body, "question", max_len=MAX_QUESTION)}


def message_uuid(data: Mapping[str, Any], field: str) -> str:
    raw = data.get(field)
    try:
        if not isinstance(raw, str) or len(raw) > 36:
            raise ValueError(raw)
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadInputError(
            field, "must be a message id (UUID)", "moet een berichtnummer (UUID) zijn"
        ) from None


def _answer(body: Mapping[str, Any]) -> dict[str, Any]:
    outcome = body.get("outcome")
    if outcome not in OUTCOMES:
        raise BadInputError(
            "outcome",
            f"must be one of {', '.join(OUTCOMES)}",
            "moet answered (beantwoord), partly_answered (deels beantwoord) of refused "
            "(geweigerd) zijn",
        )
    needs_reason = outcome in (REFUSED, PARTLY_ANSWERED)
    return {
        "in_reply_to": message_uuid(body, "in_reply_to"),
        "outcome": outcome,
        "answer": text(body, "answer", required=outcome != REFUSED, max_len=MAX_ANSWER),
        "refusal_reason": text(body, "refusal_reason", required=needs_reason, max_len=2000),
    }


def _coi_report(body: Mapping[str, Any]) -> dict[str, Any]:
    from keten.server.services import coi_share  # the COI app's format, read as it stores it

    coi_share.read(dict(body))
    return dict(body)


def _return_seats(body: Mapping[str, Any]) -> dict[str, Any]:
    from keten.server.services import return_cooperation_share

    return_cooperation_share.read_seat_request(dict(body))
    return dict(body)


def _return_programme(body: Mapping[str, Any]) -> dict[str, Any]:
    from keten.server.services import return_cooperation_share

    return_cooperation_share.read_programme(dict(body))
    return dict(body)


def _return_joint_request(body: Mapping[str, Any]) -> dict[str, Any]:
    from keten.server.services import joint_request_share

    # The sender's code is not known here; any valid code reads the body alike.
    joint_request_share.read(dict(body), "partner")
    return dict(body)


# Seed 000: "Het CGVS en IND werken verder samen rond het uitwisselen van informatie met
# betrekking tot de landen van oorsprong (COI, country of origin information)".
BASIS_COI = (
    "Intentieverklaring NL-BE 24-02-2015 (uitwisselen van informatie over landen van oorsprong)"
)
# Seed 000 point 3: "uitwisseling van special flight programmatie en deelname aan elkaars
# special flights".
BASIS_RETURN = "Intentieverklaring NL-BE 24-02-2015 punt 3 (identificatie en terugkeer)"
# "De DT&V en de DVZ": DTenV and the DVZ's return service, and both liaison officers.
RETURN_ROLES = frozenset(
    {"liaison_officer", "dtenv_officer", "dvz_liaison_officer", "dvz_return_officer"}
)

# Seed 000 point 5: "De IND en de DVZ werken samen om voor personen die in het ene land een 1F
# uitsluiting hebben verkregen en verblijf aanvragen in het andere land, informatie uit te
# wisselen die nodig is voor de behandeling van de verblijfsaanvragen."
BASIS_1F = "Intentieverklaring NL-BE 24-02-2015 punt 5; AVG art. 6 lid 1 onder e"

KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        Kind(
            id="request_1f_information",
            name_nl="Verzoek om informatie (1F)",
            name_en="Request for information (1F)",
            legal_basis=BASIS_1F,
            purpose="Behandeling van de verblijfsaanvraag van een persoon die in het andere land "
            "een 1F-uitsluiting heeft verkregen",
            source="data/seeds/000_ae7679f931f72960.txt, punt 5",
            is_answer=False,
            check_body=_request_1f,
        ),
        Kind(
            id="coi_report",
            name_nl="Landeninformatie (COI-rapport)",
            name_en="Country-of-origin report",
            legal_basis=BASIS_COI,
            purpose="Delen van landeninformatie voor de beoordeling van asielaanvragen",
            source="data/seeds/000_ae7679f931f72960.txt (CGVS en IND, landen van oorsprong)",
            is_answer=False,
            check_body=_coi_report,
            informs=True,
            # COI is the CGVS's on the Belgian side ("Het CGVS en IND werken verder samen").
            roles=frozenset(
                {"liaison_officer", "ind_unit_1f", "dvz_liaison_officer", "cgvs_coi_officer"}
            ),
        ),
        Kind(
            id="return_operation_programme",
            name_nl="Programma special flights en identificatiemissies",
            name_en="Programme of special flights and identification missions",
            legal_basis=BASIS_RETURN,
            purpose="Gezamenlijke terugkeeroperaties: plaatsen aanbieden aan de partner",
            source="data/seeds/000_ae7679f931f72960.txt, punt 3",
            is_answer=False,
            check_body=_return_programme,
            informs=True,
            roles=RETURN_ROLES,
        ),
        Kind(
            id="return_operation_seats",
            name_nl="Plaatsen gevraagd op een special flight of missie van de partner",
            name_en="Seats asked on the partner's special flight or mission",
            legal_basis=BASIS_RETURN,
            purpose="Deelname aan elkaars special flights",
            source="data/seeds/000_ae7679f931f72960.txt, punt 3",
            is_answer=False,
            check_body=_return_seats,
            informs=True,
            roles=RETURN_ROLES,
        ),
        Kind(
            id="return_joint_request",
            name_nl="Voorstel voor een gezamenlijk verzoek aan een land van herkomst",
            name_en="Proposal of a joint request to a country of origin",
            legal_basis=BASIS_RETURN,
            purpose="Samenwerking in identificatie en terugkeer: een gezamenlijk verzoek, "
            "door de partner overgenomen als akkoord",
            source="data/seeds/000_ae7679f931f72960.txt, punt 3",
            is_answer=False,
            check_body=_return_joint_request,
            informs=True,
            roles=RETURN_ROLES,
        ),
        Kind(
            id="answer",
            name_nl="Antwoord",
            name_en="Answer",
            legal_basis="",  # an answer carries the request's legal basis and purpose
            purpose="",
            source="",
            is_answer=True,
            check_body=_answer,
        ),
    )
}


def kinds_for(role: str) -> frozenset[str]:
    """The kinds a role handles; answers go with the requests it may send."""
    own = {k.id for k in KINDS.values() if role in k.roles}
    if any(not KINDS[k].informs for k in own):
        own.add("answer")
    return frozenset(own)


def kind_of(raw: Any, *, answers: bool | None = None, informs: bool | None = None) -> Kind:
    def fits(k: Kind) -> bool:
        return (answers is None or k.is_answer == answers) and (
            informs is None or k.informs == informs
        )

    found = KINDS.get(raw) if isinstance(raw, str) else None
    if found is None or not fits(found):
        offered = sorted(k for k, v in KINDS.items() if fits(v))
        raise BadInputError(
            "kind",
            f"must be one of {', '.join(offered)}",
            f"moet een van deze soorten zijn: {', '.join(offered)}",
        )
    return found
