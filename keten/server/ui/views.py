"""The interface's pages. Like the API, each page calls the service layer only; a refusal from
it becomes a message on the page (or a 403/404 page), never a silent gap."""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache, wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keten.catalog.loader import load_catalog
from keten.chain.countries import all_countries
from keten.chain.departure_kinds import DEPARTURE_KINDS
from keten.chain.housing_quota import HalfYear
from keten.chain.identity import NATIONALITY_NAMES
from keten.chain.kinds import (
    DECISION_OUTCOMES,
    DOCUMENT_TYPES,
    HANDOVER_TYPES,
    MEASURE_TYPES,
    PLACEMENT_TYPES,
)
from keten.chain.support_offers import PROGRAMMES, SUPPORT_KINDS
from keten.server import decision_support
from keten.server.organisations.models import Organisation
from keten.server.services import (
    audit_reads,
    coi_citations,
    commands,
    corrections,
    letters,
    locations,
    procedure_facts,
    queues,
    reads,
    records,
    refusals,
    taakstelling,
)
from keten.server.services.actor import Actor, actor_for
from keten.server.services.bounds import MAX_ID, check_request, reference_day, whole_number
from keten.server.services.errors import ServiceError
from keten.server.services.policy import policy
from keten.server.services.support import case_facts, run_rule
from keten.server.ui import appeal_block, fact_form, outflow_block, procedure_fact_form

View = Callable[..., HttpResponse | StreamingHttpResponse]


def with_actor(view: View) -> View:
    """Log-in required; the actor is built from the membership; every query parameter held
    to its bounds (no control characters, one short line); service refusals render as
    error pages with the status the API would give."""

    @login_required
    @wraps(view)
    def wrapper(
        request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse | StreamingHttpResponse:
        try:
            check_request(request.GET.lists(), kwargs)
            actor = actor_for(request.user, request.headers)
            return view(request, actor, *args, **kwargs)
        except ServiceError as exc:
            refused(request, exc)
            return render(
                request,
                "keten/error.html",
                {"error": exc, "status": exc.status},
                status=exc.status,
            )

    return wrapper


def refused(request: HttpRequest, exc: ServiceError) -> None:
    """A refusal shown on a page is audited like one the API answers (services/refusals.py):
    the ids come from the page's path."""
    if refusals.is_refusal(exc):
        ids = request.resolver_match.kwargs if request.resolver_match else {}
        refusals.record(
            request.user, request.headers, request.method or "GET", request.path, ids, exc
        )


def posted_fields(request: HttpRequest) -> dict[str, Any]:
    """What a page's form sent, without Django's CSRF token."""
    return {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}


@dataclass(frozen=True)
class Submitted:
    """A page's own form as the page shows it again: what was typed (empty on a GET), the
    refusal and the status to answer with."""

    form: dict[str, Any] = field(default_factory=dict)
    error: ServiceError | None = None
    status: int = 200


def submit(
    request: HttpRequest, write: Callable[[dict[str, Any]], tuple[str, str]]
) -> HttpResponse | Submitted:
    """A page that writes through its own form (post, then redirect): on a POST ``write``
    takes the posted fields and returns what to tell the person and where to send them; a
    refusal is audited and comes back with what was typed, so the page shows it again."""
    if request.method != "POST":
        return Submitted()
    form = posted_fields(request)
    try:
        said, to = write(form)
    except ServiceError as exc:
        refused(request, exc)
        return Submitted(form, exc, exc.status)
    messages.success(request, said)
    return HttpResponseRedirect(to)


def _on(request: HttpRequest) -> date:
    """The reference day (``on``), today when none is given; a day that is no date or lies
    outside the calendar is refused with the field named, not silently replaced."""
    return reference_day(request.GET.get("on") or request.POST.get("on"))


def _version(request: HttpRequest) -> int | None:
    """The version the form was based on (its hidden field)."""
    return _int(request.POST.get("version"), "version")


def _int(raw: str | None, field: str = "number") -> int | None:
    """A whole number typed into a field or a link; None when it is empty or no number (the
    page's default stands), refused when it lies beyond what any row can be."""
    if not raw or not raw.strip().isdigit():
        return None
    return whole_number(raw, field, low=0, high=MAX_ID)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The work queue; for a role without dossiers, its own page (the privacy officer's audit
    log, the ministry's taakstelling, the IND management's figures, the liaison officer's
    exchange)."""
    membership = getattr(request.user, "membership", None)
    role = policy().roles.get(membership.role) if membership is not None else None
    if role is not None and role.scope == "none":
        if role.can("audit", "read"):
            return HttpResponseRedirect("/audit")
        if role.can("taakstelling", "read"):
            return HttpResponseRedirect("/taakstelling")
        if role.can("management_information", "read"):
            # The IND's management: its queues' figures (the queue itself is refused).
            return HttpResponseRedirect("/dashboard")
        if role.can("exchange", "read"):  # the liaison officer: its work queue of requests
            return HttpResponseRedirect("/uitwisseling")
    return HttpResponseRedirect("/queue")


def _forms_context(actor: Actor) -> dict[str, Any]:
    catalog = load_catalog()
    # A municipality places only in its own housing: its form offers nothing else.
    own = actor.organisation_kind == "municipality"
    municipalities = (
        Organisation.objects.filter(kind="municipality").order_by("name")
        if actor.role.can("placement", "write")
        else Organisation.objects.none()
    )
    # Only what the role's organisation may record or send is offered (policy.yaml
    # placement_kinds, handovers); the service refuses the rest anyway.
    places = policy().placements_of(actor.organisation_kind)
    sends = policy().handovers_from(actor.organisation_kind)
    receivers = {kind for rule in sends.values() for kind in rule.receivers}
    return {
        "lodgeable": [catalog[p] for p in sorted(actor.role.procedures) if p in catalog],
        "outcomes": DECISION_OUTCOMES.values(),
        "measure_types": MEASURE_TYPES.values(),
        "placement_types": [k for k in PLACEMENT_TYPES.values() if k.id in places],
        "municipalities": [
            (o.code.removeprefix("gemeente-"), o.name)
            for o in municipalities
            if not own or o.code == actor.organisation
        ],
        "own_housing_only": own,
        # The organisation's open locations with their free places (the placement form's
        # select); only for a role that places (services/locations.py).
        "sites": locations.open_sites(actor, date.today())
        if actor.role.can("placement", "write")
        else [],
        "document_types": DOCUMENT_TYPES.values(),
        "handover_types": [k for k in HANDOVER_TYPES.values() if k.id in sends],
        "organisations": Organisation.objects.filter(kind__in=receivers)
        .exclude(code=actor.organisation)
        .order_by("code"),
        "nationalities": _nationality_choices(),
        "role": actor.role,
        "departure_kinds": DEPARTURE_KINDS.values(),
        "support_kinds": SUPPORT_KINDS.values(),
        "support_programmes": PROGRAMMES.values(),
    }


def _quota_left(actor: Actor) -> dict[str, int]:
    """For whoever hands permit holders over to municipalities and may read the taakstelling
    (COA): per municipality organisation, how many it still has to house this half-year, shown
    beside its name when choosing where a permit holder goes."""
    if not (actor.role.can("handover", "write") and actor.role.can("taakstelling", "read")):
        return {}
    on = date.today()
    rows = taakstelling.overview(actor, on, period=HalfYear.of(on).label)["results"]
    return {
        f"{taakstelling.PREFIX}{r['municipality']}": r["remaining"]
        for r in rows
        if r["remaining"] is not None
    }


def _nationality_choices() -> dict[str, tuple[tuple[str, str], ...]]:
    """The register form's nationalities: the chain's most frequent first, then every country.

    A select rather than a text box, so that a code outside the table cannot be typed; the
    frequent group saves scrolling through some 250 names for the dozen seen every day."""
    return _nationality_choices_in("en" if get_language() == "en" else "nl")


@cache  # every dossier page has the correction form; the lists never change
def _nationality_choices_in(lang: str) -> dict[str, tuple[tuple[str, str], ...]]:
    pick = 1 if lang == "en" else 0
    frequent = sorted(
        ((code, names[pick]) for code, names in NATIONALITY_NAMES.items()),
        key=lambda item: item[1].casefold(),
    )
    every = tuple((c.alpha_3, c.name(lang)) for c in all_countries(lang))
    return {"frequent": tuple(frequent), "all": every}


@with_actor
def person_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    ctx = _forms_context(actor)
    if request.method == "POST":
        data = posted_fields(request)
        data["unaccompanied_minor"] = data.get("unaccompanied_minor") == "on"
        # "Toch registreren": the registrar saw the possible duplicates and says it is
        # someone else (services/person_duplicates.py).
        data["confirm_not_duplicate"] = data.get("confirm_not_duplicate") == "on"
        try:
            person = commands.register_person(actor, data)
        except ServiceError as exc:
            refused(request, exc)
            # The refusal beside the field it names, and in the summary with a link to it.
            fields = ("v_number", "given_names", "surname", "birth_date", "sex", "nationality")
            refusal = {
                "resource": "person",
                "error": exc,
                "field": exc.field,
                "general": exc.field not in (*fields, "bsn", "reason"),
            }
            return render(
                request,
                "keten/person_new.html",
                {
                    **ctx,
                    "error": exc,
                    "form": data,
                    "refusal": refusal,
                    "candidates": getattr(exc, "candidates", None),
                },
                status=exc.status,
            )
        return HttpResponseRedirect(f"/persons/{person['id']}")
    return render(request, "keten/person_new.html", {**ctx, "form": {}})


@with_actor
def dossier(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    return _dossier_page(request, actor, person_id)


def _dossier_page(
    request: HttpRequest, actor: Actor, person_id: int, status: int = 200, **extra: Any
) -> HttpResponse:
    """The dossier page: as read, or (``extra``) with a refusal and what was entered."""
    on = _on(request)
    data = reads.dossier(actor, person_id, on)
    support = decision_support.availability()
    return render(
        request,
        "keten/dossier.html",
        {
            "withdrawable": _withdrawable(actor, data),
            "staying": next((r for r in data.get("placement", []) if r["open"]), None),
            "d": data,
            "p": data["person"],
            "on": on,
            "support": support,
            "rules": decision_support.rules() if support.available else [],
            "can": _can(actor),
            "forms": {},
            "entered": {},
            **_forms_context(actor),
            # Only this page has the hand-over form that shows it.
            "quota_left": _quota_left(actor),
            "outflow": outflow_block.dossier_block(actor, data, on),
            "court": appeal_block.court_blocks(actor, data),
            "letters": letters.of_person(actor, person_id),
            "coi": coi_citations.of_person(actor, person_id),
            "coi_offered": coi_citations.offered(actor, person_id, on),
            **extra,
        },
        status=status,
    )


def _withdrawable(actor: Actor, data: dict[str, Any]) -> set[str]:
    """ "resource:id" of every record on the page the actor may withdraw as mistaken."""
    out = set()
    for resource in ("measure", "placement", "handover", "support_offer"):
        for r in data.get(resource, []):
            if r["withdrawn"] is None and corrections.may_withdraw(
                actor,
                resource,
                kind=r["kind"],
                recorded_org=r["recorded_org"],
                municipality=r.get("municipality"),
                from_org=r.get("from_org", ""),
            ):
                out.add(f"{resource}:{r['id']}")
    return out


@require_POST
@with_actor
def withdraw(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    """Withdraw a mistaken entry from the dossier page (the reason says why)."""
    data = _post_data(request)
    try:
        corrections.withdraw(actor, person_id, data, _version(request))
    except ServiceError as exc:
        return _dossier_error(request, actor, person_id, exc)
    return HttpResponseRedirect(f"/persons/{person_id}")


def _can(actor: Actor) -> dict[str, bool]:
    r = actor.role
    out = {}
    for res in (
        "identity",
        "procedure",
        "decision",
        "rule_trail",
        "asylum_motive",
        "finding_1f",
        "measure",
        "placement",
        "document",
        "handover",
        "support_offer",
        "letter",
        "coi_document",
    ):
        out[f"{res}_read"] = r.can(res, "read")
        out[f"{res}_write"] = r.can(res, "write")
    return out


def _procedure_panel(
    request: HttpRequest,
    actor: Actor,
    procedure_id: int,
    error: ServiceError | None = None,
    status: int = 200,
    support_result: dict[str, Any] | None = None,
    support_form: tuple[dict[str, Any], list[fact_form.FactInput]] | None = None,
    posted: tuple[str, dict[str, Any]] | None = None,
) -> HttpResponse:
    """The procedure's panel; after a refusal, ``posted`` is the form that was refused
    ("event" or "decision") with what was entered, shown again so nothing is retyped."""
    if error is not None:
        refused(request, error)
    on = _on(request)
    proc = reads.get_procedure(actor, procedure_id, on)
    support = decision_support.availability()
    if getattr(request, "htmx", False):
        # htmx does not swap 4xx answers into the page: the refusal is shown in the panel
        # (with field and rule), so it must arrive as a normal answer.
        status = 200
    return render(
        request,
        "keten/_procedure.html",
        {
            "proc": proc,
            "on": on,
            "error": error,
            "can": _can(actor),
            "support": support,
            "rules": decision_support.rules() if support.available else [],
            "support_result": support_result,
            "support_result_json": json.dumps(support_result) if support_result else "",
            # the rule last run or refused, with what was entered, so nothing is retyped
            "support_rule": support_form[0] if support_form else None,
            "support_inputs": support_form[1] if support_form else [],
            "posted_event": posted[1] if posted and posted[0] == "event" else {},
            "posted_decision": posted[1] if posted and posted[0] == "decision" else {},
            "posted_departure": posted[1] if posted and posted[0] == "departure" else {},
            "letters": letters.of_person(actor, proc["person_id"]) if proc.get("person_id") else {},
            "coi": coi_citations.of_person(actor, proc["person_id"])
            if proc.get("person_id")
            else {},
            "coi_offered": coi_citations.offered(actor, proc["person_id"], on)
            if proc.get("person_id")
            else [],
            **_forms_context(actor),
        },
        status=status,
    )


def _post_data(request: HttpRequest) -> dict[str, Any]:
    return {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version")}


@require_POST
@with_actor
def record_event(request: HttpRequest, actor: Actor, procedure_id: int) -> HttpResponse:
    try:
        commands.record_event(
            actor,
            procedure_id,
            _post_data(request),
            _version(request),
            _on(request),
        )
    except ServiceError as exc:
        return _procedure_panel(
            request, actor, procedure_id, exc, exc.status, posted=("event", _post_data(request))
        )
    return _procedure_panel(request, actor, procedure_id)


@require_POST
@with_actor
def decide(request: HttpRequest, actor: Actor, procedure_id: int) -> HttpResponse:
    data = _post_data(request)
    # The reports ticked on the form and any typed by number are one list of citations.
    picked = request.POST.getlist("coi_pick")
    data.pop("coi_pick", None)
    data["coi"] = ",".join([*picked, data.get("coi", "")]).strip(",")
    if data.get("rule_trail"):
        try:
            data["rule_trail"] = json.loads(data["rule_trail"])
        except json.JSONDecodeError:
            data["rule_trail"] = "invalid"
    try:
        commands.decide(actor, procedure_id, data, _version(request), _on(request))
    except ServiceError as exc:
        # As posted, the rule trail included: a decision refused for a stale version must not
        # lose the trail that supported it.
        entered = ("decision", {**_post_data(request), "coi_pick": picked})
        return _procedure_panel(request, actor, procedure_id, exc, exc.status, posted=entered)
    return _procedure_panel(request, actor, procedure_id)


@with_actor
def support_form(request: HttpRequest, actor: Actor, procedure_id: int) -> HttpResponse:
    """The inputs of the chosen rule's facts, starting from what the dossier already knows
    (read through the service layer, so the read is checked and logged)."""
    rule_id = request.GET.get("rule", "")
    if not rule_id:
        return HttpResponse("")
    rule = decision_support.rule(rule_id)
    known = decision_support.applicable(rule, case_facts(actor, procedure_id, _on(request)))
    return render(
        request,
        "keten/_support_fields.html",
        {"support_rule": rule, "support_inputs": fact_form.inputs(rule, known=known)},
    )


@require_POST
@with_actor
def support(request: HttpRequest, actor: Actor, procedure_id: int) -> HttpResponse:
    """Run a rule of keten.rules on the facts entered in its form; show outcome and trail."""
    try:
        rule = decision_support.rule(request.POST.get("rule", ""))
    except ServiceError as exc:
        return _procedure_panel(request, actor, procedure_id, exc, exc.status)
    try:
        facts = fact_form.read(rule, request.POST)
        result = run_rule(actor, procedure_id, rule["id"], facts, _on(request))
    except ServiceError as exc:
        entered = (rule, fact_form.inputs(rule, entered=request.POST, error=exc))
        return _procedure_panel(request, actor, procedure_id, exc, exc.status, support_form=entered)
    entered = (rule, fact_form.inputs(rule, entered=request.POST))
    return _procedure_panel(
        request, actor, procedure_id, support_result=result, support_form=entered
    )


@require_POST
@with_actor
def lodge(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    data = _post_data(request)
    try:
        # The type's facts (pfact-<name>, ui/procedure_fact_form.py) as typed facts.
        pt = procedure_facts.procedure_type(data.get("procedure_type"))
        data = {
            k: v
            for k, v in data.items()
            if not k.startswith(procedure_fact_form.PREFIX) and k != "facts_for"
        }
        data["facts"] = procedure_fact_form.read(pt, request.POST)
        commands.lodge(actor, person_id, data, _version(request), _on(request))
    except ServiceError as exc:
        return _dossier_error(
            request, actor, person_id, exc, entered=("lodge", _post_data(request))
        )
    return HttpResponseRedirect(f"/persons/{person_id}")


@require_POST
@with_actor
def correct(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    """Correct identity fields; only fields that were filled in are sent."""
    data = {k: v for k, v in _post_data(request).items() if v != ""}
    try:
        commands.correct_person(actor, person_id, data, _version(request))
    except ServiceError as exc:
        return _dossier_error(request, actor, person_id, exc, entered=("correct", data))
    return HttpResponseRedirect(f"/persons/{person_id}")


@require_POST
@with_actor
def family(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    data = _post_data(request)
    try:
        commands.link_family(actor, person_id, data, _version(request))
    except ServiceError as exc:
        return _dossier_error(request, actor, person_id, exc, entered=("family", data))
    return HttpResponseRedirect(f"/persons/{person_id}")


# The dossier page's forms that add a record: their fields, each shown with its own error.
ADD_FORMS = {
    "measure": ("kind", "start", "end", "legal_basis", "reason"),
    "placement": ("kind", "site", "location", "municipality", "start", "end", "reason"),
    "handover": ("kind", "to_org", "day", "note", "reason"),
    "support_offer": ("kind", "programme", "amount_eur", "offered_on", "note", "reason"),
}


@require_POST
@with_actor
def add_record(request: HttpRequest, actor: Actor, person_id: int, resource: str) -> HttpResponse:
    """Add a record from the dossier page. A refusal shows the page again with the officer's
    input kept and the error beside the field it names (the form's own message otherwise);
    sent by htmx (which swaps the page's main part), it answers 200 so that htmx shows it."""
    data = _post_data(request)
    try:
        records.add_record(actor, person_id, resource, data, _version(request))
    except ServiceError as exc:
        if resource in ADD_FORMS and actor.role.can(resource, "write"):
            form = {
                "resource": resource,
                "values": data,
                "error": exc,
                "field": exc.field,
                "general": exc.field not in ADD_FORMS[resource],
                "open": True,
            }
            status = 200 if getattr(request, "htmx", False) else exc.status
            return _dossier_error(request, actor, person_id, exc, {resource: form}, status)
        return _dossier_error(request, actor, person_id, exc)
    return HttpResponseRedirect(f"/persons/{person_id}")


@require_POST
@with_actor
def end_record(
    request: HttpRequest, actor: Actor, person_id: int, resource: str, record_id: int
) -> HttpResponse:
    """End an open measure or placement from the dossier page (end day, reason). When the
    ending took the officer's own organisation's access (its last basis for this person), the
    dossier is gone for them: back to the start page, saying why."""
    try:
        ended = records.end_record(
            actor,
            person_id,
            resource,
            record_id,
            _post_data(request),
            _version(request),
        )
    except ServiceError as exc:
        return _dossier_error(request, actor, person_id, exc)
    if actor.organisation in ended["access_withdrawn"]:
        messages.info(
            request,
            _(
                "Ended. Your organisation no longer has access to this dossier: no running "
                "measure or placement, hand-over or registration gives it a basis."
            ),
        )
        return HttpResponseRedirect("/")
    return HttpResponseRedirect(f"/persons/{person_id}")


def _dossier_error(
    request: HttpRequest,
    actor: Actor,
    person_id: int,
    exc: ServiceError,
    forms: dict[str, dict[str, Any]] | None = None,
    status: int | None = None,
    entered: tuple[str, dict[str, Any]] | None = None,
) -> HttpResponse:
    """The dossier page with a refusal: at the top, or in the form it belongs to (``forms``:
    resource -> the officer's input and the error, shown in and beside that form).
    ``entered``: the refused identity, family or lodging form and what was typed into it,
    put back into that form so nothing is retyped."""
    refused(request, exc)
    return _dossier_page(
        request,
        actor,
        person_id,
        status=exc.status if status is None else status,
        error=None if forms else exc,
        forms=forms or {},
        entered={entered[0]: entered[1]} if entered else {},
    )


@with_actor
def dashboard(request: HttpRequest, actor: Actor) -> HttpResponse:
    on = _on(request)
    data = queues.dashboard(actor, on)
    quota = None
    if actor.role.can("taakstelling", "read"):
        # The current half-year at a glance: the municipality's own row, or everyone's total.
        figures = taakstelling.overview(actor, on, period=HalfYear.of(on).label)
        rows, totals = figures["results"], figures["totals"]
        quota = {"row": rows[0] if len(rows) == 1 else None, "total": totals[0] if totals else None}
    return render(request, "keten/dashboard.html", {"d": data, "quota": quota})


def _audit_query(request: HttpRequest) -> audit_reads.AuditQuery:
    """The page's filters; newest first unless asked otherwise (the officer looks back)."""
    params: dict[str, str] = {k: str(v) for k, v in request.GET.items() if v}
    params.setdefault("order", "newest")
    return audit_reads.audit_query(params)


def _local_time(row: dict[str, Any]) -> datetime:
    """A record's time in the officer's own time zone (Europe/Amsterdam)."""
    return localtime(datetime.fromisoformat(row["end_time"]))


def _local(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        r["local_time"] = _local_time(r)
    return rows


@with_actor
def audit(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The privacy officer's page: by V-number or user, refusals apart, newest first, CSV."""
    query = _audit_query(request)
    data = audit_reads.audit_log(actor, query, limit=100)
    refusals_shown = None
    if not query.refused:
        only = replace(query, refused=True, before=0)
        refusals_shown = _local(audit_reads.audit_log(actor, only, limit=20)["results"])
    kept = urlencode({k: v for k, v in request.GET.items() if v and k != "before"})
    return render(
        request,
        "keten/audit.html",
        {
            "data": data,
            "rows": _local(data["results"]),
            "refusals": refusals_shown,
            "query": query,
            "kept": kept,
            "title": _("Audit log"),
        },
    )


AUDIT_CSV_COLUMNS = (
    ("seq", "volgnummer"),
    ("local_time", "tijd (Europe/Amsterdam)"),
    ("actor_user", "gebruiker"),
    ("actor_org", "organisatie"),
    ("actor_role", "rol"),
    ("dpl.core.processing_activity_id", "doel"),
    ("name", "bewerking"),
    ("action", "handeling"),
    ("policy_resource", "gegevenssoort"),
    ("status_code", "status"),
    ("subjects", "personen (V-nummer)"),
    ("fields", "velden / verzoek"),
    ("object_ref", "object"),
    ("trace_id", "trace"),
)


class _Echo:
    def write(self, value: str) -> str:
        return value


@with_actor
def audit_csv(request: HttpRequest, actor: Actor) -> StreamingHttpResponse:
    """The page's records as CSV (at most ``MAX_EXPORT``), newest first; the export itself is
    in the log before the first row leaves."""
    writer = csv.writer(_Echo())
    rows = audit_reads.export(actor, _audit_query(request))
    first = next(rows, None)  # runs the check and logs the export now, not mid-stream

    def lines() -> Iterator[str]:
        yield writer.writerow([header for _, header in AUDIT_CSV_COLUMNS])
        for row in itertools.chain([first] if first else [], rows):
            row["local_time"] = _local_time(row).isoformat()
            row["subjects"] = " ".join(s["dpl.core.data_subject_id"] for s in row["subjects"])
            row["fields"] = "; ".join(row["fields"])
            yield writer.writerow([row[key] for key, _ in AUDIT_CSV_COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="logboek-dataverwerkingen.csv"'
    return response
