"""The page's names of the fields a refusal names: a page says "Geboortedatum", the API says
``birth_date`` (issue 16: error pages "show API field names, e.g. 'year' on a 'jaar' page").
The msgids are the forms' own labels, so the summary and the form say the same."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LABELS: dict[str, Promise] = {
    "v_number": _("V-number"),
    "other_v_number": _("V-number"),
    "given_names": _("Given names"),
    "surname": _("Surname"),
    "birth_date": _("Birth date"),
    "nationality": _("Nationality"),
    "sex": _("Sex"),
    "reason": _("Reason"),
    "note": _("Note"),
    "day": _("Day"),
    "start": _("Start"),
    "end": _("End day"),
    "location": _("Location"),
    "site": _("Registered location"),
    "municipality": _("Municipality"),
    "to_org": _("To"),
    "legal_basis": _("Legal basis"),
    "amount_eur": _("Amount (whole euros)"),
    "offered_on": _("Offered on"),
    "programme": _("Programme"),
    "arrivals": _("Arrivals"),
    "amv": _("Of whom unaccompanied minors"),
    "jaar": _("Year"),
    "year": _("Year"),
    "procedure_type": _("Procedure type"),
    "outcome": _("Outcome"),
    "grounds": _("Grounds"),
    "event": _("Event"),
    "event_kind": _("Event"),
    "period": _("Half-year"),
    "from": _("From"),
    "to": _("Until"),
    "relation": _("Relation"),
    "q": _("Search"),
    "kind": _("Kind"),
    "rule": _("Rule"),
    "version": _("Version"),
    "If-Match": _("Version"),
    "page": _("Page"),
    # The exchange's request form: the person is an object in the API.
    "person.surname": _("Surname"),
    "person.given_names": _("Given names"),
    "person.birth_date": _("Birth date"),
    "person.nationality": _("Nationality"),
    "person.foreign_references": _("The partner's reference number (optional)"),
    "partner": _("Partner"),
    "question": _("Question"),
    "purpose": _("Purpose"),
    "sender_reference": _("Our reference"),
    # The return operations' forms (/terugkeer/operaties).
    "seats_offered": _("Seats offered to the partner"),
    "escorts": _("Number of escorts"),
    "service": _("Escorting service"),
    "operation": _("Operation"),
    "authority": _("Authority addressed"),
    "proposed_on": _("Proposed on"),
    "persons_own": _("Persons we bring"),
    "persons_partner": _("Persons the partner brings"),
    "sources": _("Sources (agreement, letter, meeting)"),
    "request": _("Joint request"),
    # The departure form (_departure_form.html).
    "how": _("How the person left"),
    "destination": _("Destination"),
    "escorted": _("Escorted (removal)"),
    # The forecast's forms (their labels are in the "forecast" context).
    "years": pgettext_lazy("forecast", "Years ahead"),
    "scenario": pgettext_lazy("forecast", "Scenario"),
    "a": pgettext_lazy("forecast", "Compare run"),
    "b": pgettext_lazy("forecast", "with run"),
    # The monthly figures' period.
    "van": pgettext_lazy("monthly", "From month"),
    "tot": pgettext_lazy("monthly", "To month"),
}

# A field whose label depends on the form: "kind" is the measure on the measure form.
BY_FORM: dict[tuple[str, str], Promise] = {
    ("measure", "kind"): _("Measure"),
    ("placement", "kind"): _("Placement"),
    ("handover", "kind"): _("Hand over"),
    ("support_offer", "kind"): _("Support"),
}


def label(field: str | None, form: str | None = None) -> str | None:
    """The page's label of ``field`` (in the active language), None for a field no page
    shows (the API's own names are then not shown either)."""
    if not field:
        return None
    found = BY_FORM.get((form or "", field)) or LABELS.get(field)
    return str(found) if found is not None else None
