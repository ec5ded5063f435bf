"""The REST API (``/api/v1``): thin views over the service layer.

A view parses the request (query parameters, JSON body, ``If-Match``), calls one service
function with the request's actor and returns its dict. Policy, scope, concurrency and audit
live in the services, so no view can skip them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keten.server import decision_support
from keten.server.api.problems import problem
from keten.server.api.rendering import JSONOnly
from keten.server.api.schema import (
    AUDIT_PAGE,
    CASE_FACTS,
    DASHBOARD,
    DECIDED,
    DECISION,
    DECISION_INPUT,
    DECISION_TRAIL,
    FAMILY_LINK,
    ME,
    ONE_ERRORS,
    PAGE,
    PERSON,
    PERSON_CORRECTION,
    PERSON_PAGE,
    PERSON_REGISTRATION,
    POLICY,
    PROCEDURE_EVENT,
    PROCEDURE_LODGING,
    PROCEDURE_ROW,
    QUEUE_SUMMARY,
    READ_ERRORS,
    RECORD_END,
    RECORD_INPUT,
    RECORD_INPUT_DESCRIPTION,
    RULE,
    SUPPORT_OUTCOME,
    SUPPORT_RUN,
    TAAKSTELLING,
    TAAKSTELLING_INPUT,
    TAAKSTELLING_RECORDED,
    WITHDRAWAL_INPUT,
    WITHDRAWN,
    WRITE_ERRORS,
    operation,
    page_size,
    query_int,
    query_text,
    results,
)
from keten.server.services import (
    audit_reads,
    commands,
    corrections,
    person_search,
    queues,
    reads,
    records,
    taakstelling,
)
from keten.server.services.actor import Actor, actor_for
from keten.server.services.audit_reads import audit_query
from keten.server.services.bounds import (
    MAX_ID,
    MAX_PAGE,
    check_request,
    reference_day,
    whole_number,
)
from keten.server.services.errors import BadInputError
from keten.server.services.policy import policy
from keten.server.services.support import run_rule, support_offer

IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": '^(W/)?"?[0-9]+"?$'},
    OpenApiParameter.HEADER,
    description="The version the write is based on: the ETag of the person (or, for events "
    'and decisions, the procedure) as last read, e.g. `"3"` (quotes and a `W/` prefix are '
    "optional). Stale: 409 with the current version. Required unless the body carries "
    "`version`: without either, 428.",
)
ON = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    description="Reference day (default: today), from 2000-01-01 (the holiday calendar's "
    "first year) to ten years ahead.",
)
TEAM = query_text("team", "Team (default: your role's).")

RESOURCE_PATHS = {
    "measures": "measure",
    "placements": "placement",
    "documents": "document",
    "handovers": "handover",
    "asylum-motives": "asylum_motive",
    "findings-1f": "finding_1f",
    "support-offers": "support_offer",
}

RESOURCE = OpenApiParameter(
    "resource", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(RESOURCE_PATHS)
)

# Records that run for a period and can be ended (``commands.end_record``).
ENDABLE_PATHS = {path: r for path, r in RESOURCE_PATHS.items() if r in records.ENDABLE}


class KetenView(APIView):
    content_negotiation_class = JSONOnly

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Every query parameter and path id held to its bounds before the view runs, so that
        no filter reaches the database with a NUL byte and no id past what a row can have
        (after authentication: a caller who is not logged in learns nothing else)."""
        super().initial(request, *args, **kwargs)
        check_request(request.query_params.lists(), kwargs)

    def actor(self, request: Request) -> Actor:
        return actor_for(request.user, request.headers)

    @staticmethod
    def on(request: Request) -> date:
        return reference_day(request.query_params.get("on"))

    @staticmethod
    def int_param(
        request: Request, name: str, default: int, *, low: int = 1, high: int = MAX_PAGE
    ) -> int:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        return whole_number(raw, name, low=low, high=high)

    @staticmethod
    def body(request: Request) -> dict[str, Any]:
        data = request.data
        if not isinstance(data, dict):
            raise BadInputError("body", "must be a JSON object", "moet een JSON-object zijn")
        return dict(data)

    @staticmethod
    def if_match(request: Request, body: dict[str, Any] | None = None) -> int | None:
        raw = request.headers.get("If-Match")
        if raw is None and body is not None and "version" in body:
            given = body["version"]
            if isinstance(given, bool) or not isinstance(given, int | str):
                raise BadInputError(
                    "version",
                    f"{given!r} is not a version number",
                    f"{given!r} is geen versienummer",
                )
            raw = str(given)
        if raw is None:
            return None
        raw = raw.strip().removeprefix("W/").strip('"')
        try:
            return int(raw)
        except ValueError:
            raise BadInputError(
                "If-Match", f"{raw!r} is not a version number", f"{raw!r} is geen versienummer"
            ) from None

    @staticmethod
    def with_etag(data: dict[str, Any], status: int = 200, key: str = "version") -> Response:
        response = Response(data, status=status)
        if key in data:
            response["ETag"] = f'"{data[key]}"'
        return response

    @staticmethod
    def paged(request: Request, data: dict[str, Any]) -> Response:
        """``next``: the link to the following page, by position when the list gives one
        (``next_after``), else by page number."""
        if data.get("has_next"):
            params = request.query_params.copy()
            if data.get("next_after"):
                params.pop("page", None)
                params["after"] = data["next_after"]
            else:
                params["page"] = str(data["page"] + 1)
            data["next"] = f"{request.path}?{params.urlencode()}"
        else:
            data["next"] = None
        return Response(data)


class MeView(KetenView):
    @operation(
        "me_read",
        "Who am I: organisation, role, what the policy allows",
        ME,
        "Your account, organisation and role, and what the role may do.",
        errors=READ_ERRORS,
    )
    def get(self, request: Request) -> Response:
        actor = self.actor(request)
        r = actor.role
        return Response(
            {
                "username": actor.username,
                "organisation": actor.organisation,
                "role": r.id,
                "role_name": r.name_nl,
                "team": r.team,
                "scope": r.scope,
                "purpose": r.purpose,
                "allow": {res: sorted(acts) for res, acts in r.allow.items()},
                "procedures": sorted(r.procedures),
                "events": {t: sorted(kinds) for t, kinds in sorted(r.events.items())},
            }
        )


class PersonsView(KetenView):
    @operation(
        "person_search",
        "Search persons in your scope",
        PERSON_PAGE,
        "One page of persons, best match first (without `q`: by surname); `next` links to "
        "the following page. Merged persons are not listed.",
        parameters=[
            query_text(
                "q",
                "Any name parts in any order (given names, surname), diacritics, case and "
                "punctuation aside, with spelling variants and misspelt vowels "
                "(PostgreSQL: also misspelt consonants). Only digits: a BSN when it passes "
                "the elfproef, else part of a V-number (at least 4 digits). Each row's "
                "`matched` says how.",
            ),
            query_text("v_number", "A V-number (10 digits) or at least 4 of its digits."),
            query_text("bsn", "A BSN (9 digits, elfproef): exact."),
            query_text(
                "birth_date",
                "YYYY-MM-DD or DD-MM-YYYY, 00 for an unknown month or day (1990-00-00: born "
                "in 1990). Also lists persons whose registered birth date is less known.",
            ),
            query_text("nationality", "ISO 3166-1 alpha-3 (XXA stateless, XXX unknown)."),
            PAGE,
            page_size(100),
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        data = person_search.search(
            self.actor(request),
            q=qp.get("q", ""),
            v_number=qp.get("v_number", ""),
            bsn=qp.get("bsn", ""),
            birth_date=qp.get("birth_date", ""),
            nationality=qp.get("nationality", ""),
            page=self.int_param(request, "page", 1),
            page_size=self.int_param(request, "page_size", 25, high=100),
        )
        return self.paged(request, data)

    @operation(
        "person_register",
        "Register a person",
        PERSON,
        "The registered person (ETag: its version).",
        status=201,
        errors=(400, 401, 403, 409),
        etag="The person's version",
        conflict_etag=False,
        request=PERSON_REGISTRATION,
    )
    def post(self, request: Request) -> Response:
        data = commands.register_person(self.actor(request), self.body(request))
        return self.with_etag(data, 201)


class PersonView(KetenView):
    @operation(
        "person_read",
        "A person's identity and family (in your scope)",
        PERSON,
        "The person (ETag: its version).",
        errors=ONE_ERRORS,
        etag="The person's version",
    )
    def get(self, request: Request, person_id: int) -> Response:
        return self.with_etag(reads.get_person(self.actor(request), person_id))

    @operation(
        "person_correct",
        "Correct identity fields (reason required)",
        PERSON,
        "The corrected person (ETag: its new version).",
        errors=WRITE_ERRORS,
        etag="The person's new version",
        request=PERSON_CORRECTION,
        parameters=[IF_MATCH],
    )
    def patch(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        data = commands.correct_person(
            self.actor(request), person_id, body, self.if_match(request, body)
        )
        return self.with_etag(data)


class FamilyView(KetenView):
    @operation(
        "person_family_link",
        "Link a family member",
        PERSON,
        "The person (without family; ETag: its new version).",
        status=201,
        errors=WRITE_ERRORS,
        etag="The person's new version",
        request=FAMILY_LINK,
        parameters=[IF_MATCH],
    )
    def post(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        data = commands.link_family(
            self.actor(request), person_id, body, self.if_match(request, body)
        )
        return self.with_etag(data, 201)


class PersonProceduresView(KetenView):
    @operation(
        "person_procedures_list",
        "Procedures of a person",
        results("PersonProcedures", PROCEDURE_ROW),
        "The person's procedures, oldest first.",
        errors=ONE_ERRORS,
        parameters=[ON],
    )
    def get(self, request: Request, person_id: int) -> Response:
        rows = reads.person_procedures(self.actor(request), person_id, self.on(request))
        return Response({"results": rows})

    @operation(
        "procedure_lodge",
        "Lodge an application (open a procedure)",
        PROCEDURE_ROW,
        "The new procedure (ETag: its version).",
        status=201,
        errors=WRITE_ERRORS,
        etag="The new procedure's version (for its events and decisions)",
        request=PROCEDURE_LODGING,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        data = commands.lodge(
            self.actor(request), person_id, body, self.if_match(request, body), self.on(request)
        )
        return self.with_etag(data, 201)


class DossierView(KetenView):
    @operation(
        "dossier_read",
        "The whole dossier as the role may see it (one read, one trace)",
        OpenApiTypes.OBJECT,
        "The dossier: `person` and, as far as the role may read them, procedures, decisions, "
        "records per kind and the timeline.",
        errors=ONE_ERRORS,
        parameters=[ON],
    )
    def get(self, request: Request, person_id: int) -> Response:
        return Response(reads.dossier(self.actor(request), person_id, self.on(request)))


class PersonRecordsView(KetenView):
    """Measures, placements, documents, hand-overs, asylum motives and 1F findings."""

    @operation(
        "person_records_list",
        "Dossier records of one kind",
        results("PersonRecords", serializers.DictField()),
        "The person's records of the kind named by `resource`; fields depend on the kind.",
        errors=ONE_ERRORS,
        parameters=[RESOURCE],
    )
    def get(self, request: Request, person_id: int, resource: str) -> Response:
        kind = RESOURCE_PATHS.get(resource)
        if kind is None:
            return problem(404, "not-found", "Not found", f"no resource {resource!r}")
        return Response({"results": reads.records(self.actor(request), person_id, kind)})

    @operation(
        "person_record_add",
        "Add a dossier record",
        OpenApiTypes.OBJECT,
        "The new record, fields per kind, with `person_version` (also the ETag).",
        status=201,
        errors=WRITE_ERRORS,
        etag="The person's new version (`person_version`)",
        description=RECORD_INPUT_DESCRIPTION,
        request=RECORD_INPUT,
        parameters=[IF_MATCH, RESOURCE],
    )
    def post(self, request: Request, person_id: int, resource: str) -> Response:
        kind = RESOURCE_PATHS.get(resource)
        if kind is None:
            return problem(404, "not-found", "Not found", f"no resource {resource!r}")
        body = self.body(request)
        data = records.add_record(
            self.actor(request), person_id, kind, body, self.if_match(request, body)
        )
        return self.with_etag(data, 201, key="person_version")


class WithdrawalsView(KetenView):
    """Mistakes corrected, never erased (services/corrections.py)."""

    @operation(
        "person_withdrawal_record",
        "Withdraw a mistaken entry (event, decision, measure, placement, hand-over)",
        WITHDRAWN,
        "The withdrawal, what it took with it, the access it closed, and `person_version` "
        "(also the ETag).",
        status=201,
        errors=WRITE_ERRORS,
        etag="The person's new version (`person_version`)",
        description=(
            "The entry stays as recorded, marked withdrawn with who, when and why; the "
            "procedure's state and deadlines, occupancy and access follow as if it had not "
            "been recorded. A decision takes its stop event with it. Refused (422) when it "
            "was withdrawn already, when an event records a decision (withdraw the decision), "
            "or for the event that opened the procedure. `reason` (required) says why it was a "
            "mistake. If-Match: the procedure's version for an event or a decision (the "
            "procedure changes), the person's for the rest."
        ),
        request=WITHDRAWAL_INPUT,
        parameters=[IF_MATCH],
    )
    def post(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        data = corrections.withdraw(
            self.actor(request), person_id, body, self.if_match(request, body)
        )
        return self.with_etag(data, 201, key="person_version")


class RecordEndView(KetenView):
    """Ending a measure (detention lifted, reporting duty over) or a placement (left the azc,
    moved to municipal housing)."""

    @operation(
        "person_record_end",
        "End a measure or placement (end day and reason required)",
        OpenApiTypes.OBJECT,
        "The ended record with `ended_by`, `ended_org`, `ended_at`, `end_reason`, "
        "`access_withdrawn` and `person_version` (also the ETag).",
        errors=WRITE_ERRORS,
        description=(
            "Body: `end` (YYYY-MM-DD, not before the record's start, not after today) and "
            "`reason`. A record whose end day has passed is ended already (400, field = the "
            "resource). Answers the record with `ended_by`, `ended_org`, `ended_at` and "
            "`end_reason`, and `access_withdrawn`: the organisations whose access grant the "
            "ending withdrew because it was their last basis for the person (policy.yaml "
            "`grants`); the ETag is the new dossier version."
        ),
        etag="The person's new version (`person_version`)",
        request=RECORD_END,
        parameters=[
            IF_MATCH,
            OpenApiParameter(
                "resource", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(ENDABLE_PATHS)
            ),
        ],
    )
    def post(self, request: Request, person_id: int, resource: str, record_id: int) -> Response:
        kind = ENDABLE_PATHS.get(resource)
        if kind is None:
            return problem(404, "not-found", "Not found", f"no endable resource {resource!r}")
        body = self.body(request)
        data = records.end_record(
            self.actor(request), person_id, kind, record_id, body, self.if_match(request, body)
        )
        return self.with_etag(data, key="person_version")


class ProcedureView(KetenView):
    @operation(
        "procedure_read",
        "A procedure: events, every deadline with its trail, dwangsom",
        OpenApiTypes.OBJECT,
        "The procedure with its events, deadlines and their trail, dwangsom and, where the "
        "role may read them, decisions (ETag: its version).",
        errors=ONE_ERRORS,
        etag="The procedure's version",
        parameters=[ON],
    )
    def get(self, request: Request, procedure_id: int) -> Response:
        data = reads.get_procedure(self.actor(request), procedure_id, self.on(request))
        return self.with_etag(data)


class ProcedureEventsView(KetenView):
    @operation(
        "procedure_event_record",
        "Record an event (suspension, extension, hearing …)",
        PROCEDURE_ROW,
        "The procedure after the event (ETag: its new version).",
        status=201,
        errors=WRITE_ERRORS,
        etag="The procedure's new version",
        request=PROCEDURE_EVENT,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request, procedure_id: int) -> Response:
        body = self.body(request)
        data = commands.record_event(
            self.actor(request),
            procedure_id,
            body,
            self.if_match(request, body),
            self.on(request),
        )
        return self.with_etag(data, 201)


class DecisionsView(KetenView):
    @operation(
        "procedure_decisions_list",
        "Decisions on a procedure",
        results("Decisions", DECISION),
        "The procedure's decisions, oldest first.",
        errors=ONE_ERRORS,
    )
    def get(self, request: Request, procedure_id: int) -> Response:
        return Response({"results": reads.decisions(self.actor(request), procedure_id)})

    @operation(
        "procedure_decide",
        "Decide: the stop event and the decision with its rule trail",
        DECIDED,
        "The decision and the procedure after it (ETag: the procedure's new version).",
        status=201,
        errors=WRITE_ERRORS,
        etag="The procedure's new version",
        request=DECISION_INPUT,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request, procedure_id: int) -> Response:
        body = self.body(request)
        data = commands.decide(
            self.actor(request),
            procedure_id,
            body,
            self.if_match(request, body),
            self.on(request),
        )
        response = Response(data, status=201)
        response["ETag"] = f'"{data["procedure"]["version"]}"'
        return response


class DecisionTrailView(KetenView):
    @operation(
        "decision_trail_read",
        "The rule trail that supported a decision",
        DECISION_TRAIL,
        "The decision's rule trail.",
        errors=ONE_ERRORS,
    )
    def get(self, request: Request, decision_id: int) -> Response:
        return Response(reads.decision_trail(self.actor(request), decision_id))


class RulesView(KetenView):
    @operation(
        "rules_list",
        "The rules of the Vreemdelingencirculaire that decision support runs (no personal data)",
        results("Rules", RULE),
        "Every rule with its citation, title and the facts it asks for.",
        errors=READ_ERRORS,
    )
    def get(self, request: Request) -> Response:
        self.actor(request)
        return Response({"results": decision_support.rules()})


class SupportView(KetenView):
    @operation(
        "procedure_case_facts",
        "What the dossier already knows of the rules' facts, for this procedure",
        CASE_FACTS,
        "The rules that serve the procedure's type and regime with the facts the dossier fills "
        "in for each (`prefilled`, with their source), the other rules, and every known fact.",
        errors=ONE_ERRORS,
        parameters=[ON],
    )
    def get(self, request: Request, procedure_id: int) -> Response:
        return Response(support_offer(self.actor(request), procedure_id, self.on(request)))

    @operation(
        "procedure_support_run",
        "Run a rule on the facts of this procedure's case",
        SUPPORT_OUTCOME,
        "The outcome with its trail (each check with its source), the facts it ran on and the "
        "rule's title: send it as `rule_trail` when deciding. An unknown rule names `rule`; a "
        "missing or wrong fact names `facts.<name>`.",
        request=SUPPORT_RUN,
        parameters=[ON],
        errors=ONE_ERRORS,
    )
    def post(self, request: Request, procedure_id: int) -> Response:
        body = self.body(request)
        rule_id = body.get("rule")
        if not isinstance(rule_id, str) or not rule_id:
            raise BadInputError(
                "rule",
                "required: a rule id from GET /api/v1/rules",
                "verplicht: een regel-id uit GET /api/v1/rules",
            )
        facts = body.get("facts", {})
        return Response(
            run_rule(self.actor(request), procedure_id, rule_id, facts, self.on(request))
        )


class QueueSummaryView(KetenView):
    @operation(
        "queue_summary",
        "Queue totals: open, overdue, dwangsom running and exposure",
        QUEUE_SUMMARY,
        "Counts over the queue (no personal data).",
        parameters=[ON, TEAM],
    )
    def get(self, request: Request) -> Response:
        return Response(
            queues.queue_summary(
                self.actor(request), self.on(request), request.query_params.get("team")
            )
        )


class DashboardView(KetenView):
    @operation(
        "dashboard_read",
        "Chain dashboard (aggregates only)",
        DASHBOARD,
        "Procedures by type and status, missed deadlines, dwangsom and occupancy.",
        parameters=[ON],
    )
    def get(self, request: Request) -> Response:
        return Response(queues.dashboard(self.actor(request), self.on(request)))


class TaakstellingView(KetenView):
    @operation(
        "taakstelling_list",
        "Housing quota per municipality and half-year, with what was housed (figures only)",
        TAAKSTELLING,
        "The current half-year, the three before it and the next once announced (or the one "
        "`period` names), with the intervention ladder's rung. A municipality sees its own.",
        parameters=[
            ON,
            query_text("period", "Half-year, e.g. 2026-II."),
            query_text("municipality", "e.g. utrecht"),
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        return Response(
            taakstelling.overview(
                self.actor(request),
                self.on(request),
                period=qp.get("period", ""),
                municipality=qp.get("municipality", ""),
            )
        )

    @operation(
        "taakstelling_record",
        "Announce (or revise) quotas, or establish a half-year's result",
        TAAKSTELLING_RECORDED,
        "Every municipality's event, written together or not at all.",
        status=201,
        errors=WRITE_ERRORS,
        etag="The half-year's new version",
        request=TAAKSTELLING_INPUT,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request) -> Response:
        body = self.body(request)
        data = taakstelling.record(
            self.actor(request), body, self.if_match(request, body), self.on(request)
        )
        return self.with_etag(data, 201)


class AuditView(KetenView):
    @operation(
        "audit_list",
        "Audit log (privacy officer)",
        AUDIT_PAGE,
        "Audit records in order of `seq` (`order=newest` for newest first); `next_after` or "
        "`next_before` continues.",
        parameters=[
            query_int("person_id", 1, MAX_ID),
            query_text("v_number", "The person's V-number"),
            query_text("actor_user"),
            OpenApiParameter(
                "refused",
                OpenApiTypes.BOOL,
                description="Only what was refused: 403 and out-of-scope 404 answers, failed "
                "logins, identifier conflicts (status ERROR)",
            ),
            OpenApiParameter("order", OpenApiTypes.STR, enum=["oldest", "newest"]),
            query_int("after", 0, MAX_ID, "Oldest first: records after this seq"),
            query_int("before", 0, MAX_ID, "Newest first: records before this seq"),
            query_int("limit", 1, 1000),
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(
            audit_reads.audit_log(
                self.actor(request),
                audit_query(request.query_params),
                limit=self.int_param(request, "limit", 100, high=1000),
            )
        )


class CatalogView(KetenView):
    @operation(
        "catalog_procedures_list",
        "The procedure catalogue (no personal data)",
        results("CatalogProcedures", serializers.DictField()),
        "Every procedure type with its deadlines and rules.",
        errors=READ_ERRORS,
    )
    def get(self, request: Request) -> Response:
        from keten.catalog.loader import load_catalog
        from keten.cli.catalog_cmds import procedure_json

        self.actor(request)
        return Response({"results": [procedure_json(pt) for pt in load_catalog().values()]})


class PolicyView(KetenView):
    @operation(
        "policy_read",
        "The need-to-know policy table",
        POLICY,
        "The policy resources and, per role, organisation kind, scope and allowed actions.",
        errors=READ_ERRORS,
    )
    def get(self, request: Request) -> Response:
        self.actor(request)
        p = policy()
        return Response(
            {
                "resources": p.resources,
                "roles": {
                    r.id: {
                        "organisation": r.organisation_kind,
                        "scope": r.scope,
                        "allow": {k: sorted(v) for k, v in r.allow.items()},
                    }
                    for r in p.roles.values()
                },
            }
        )
