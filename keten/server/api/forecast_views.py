"""``/api/v1/forecast``: the scenarios, runs (started as jobs: 202 and the run's URL to poll),
a run's progress and result, two runs compared, and a half-year carried into the taakstelling
(``services/forecast_runs.py``). Figures only; the policy's ``forecast`` resource says who reads
and who starts runs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import ONE_ERRORS, WRITE_ERRORS, many, obj, query_int
from keten.server.api.schema import operation as documented
from keten.server.api.views import IF_MATCH, ON, KetenView
from keten.server.services import forecast_runs
from keten.server.services.bounds import MAX_ID
from keten.server.services.errors import BadInputError

RUN_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.IntegerField(),
    "url": serializers.CharField(help_text="This run in the API: poll it for progress."),
    "page": serializers.CharField(help_text="This run's page."),
    "scenario": serializers.CharField(),
    "years": serializers.IntegerField(),
    "runs": serializers.IntegerField(help_text="Replications."),
    "on": serializers.DateField(help_text="The day whose open procedures the run starts from."),
    "status": serializers.ChoiceField(choices=["queued", "running", "done", "failed"]),
    "progress": serializers.IntegerField(help_text="0 to 100."),
    "message": serializers.CharField(help_text="What the worker is doing, or why it failed."),
    "requested_by": serializers.CharField(),
    "requested_org": serializers.CharField(),
    "requested_role": serializers.CharField(),
    "reason": serializers.CharField(),
    "created_at": serializers.DateTimeField(),
    "started_at": serializers.DateTimeField(allow_null=True),
    "finished_at": serializers.DateTimeField(allow_null=True),
    "attempts": serializers.IntegerField(),
}
RUN = inline_serializer("ForecastRun", fields=RUN_FIELDS)
RUN_DETAIL = inline_serializer(
    "ForecastRunDetail",
    fields={
        **RUN_FIELDS,
        "result": serializers.DictField(
            allow_null=True,
            help_text="Once done: months, stocks (p10/p50/p90 per month), capacity per month, "
            "half_years (taakstelling bands), dwangsom per month and year, start_state.",
        ),
        "error": serializers.CharField(allow_null=True),
    },
)
RUNS = inline_serializer(
    "ForecastRuns",
    fields={
        "count": serializers.IntegerField(),
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "results": many(RUN),
    },
)
START = inline_serializer(
    "ForecastStart",
    fields={
        "scenario": serializers.ChoiceField(
            choices=forecast_runs.scenario_names(), help_text="A shipped scenario's name."
        ),
        "years": serializers.IntegerField(
            min_value=1, max_value=forecast_runs.MAX_YEARS, required=False
        ),
        "runs": serializers.IntegerField(
            min_value=1, max_value=forecast_runs.MAX_RUNS, required=False
        ),
        "reason": serializers.CharField(),
    },
)
SCENARIOS = inline_serializer("ForecastScenarios", fields={"results": many(obj())})
COMPARISON = inline_serializer(
    "ForecastComparison",
    fields={
        "a": obj(),
        "b": obj(),
        "band": serializers.CharField(),
        "results": many(obj()),
    },
)
CARRY = inline_serializer(
    "ForecastCarry",
    fields={
        "period": serializers.CharField(help_text="A half-year of the run, e.g. 2027-II."),
        "populations": serializers.DictField(
            child=serializers.IntegerField(), help_text="municipality: inhabitants"
        ),
        "day": serializers.DateField(required=False),
        "version": serializers.IntegerField(help_text="The half-year's taakstelling version."),
        "reason": serializers.CharField(),
    },
)
CARRIED = inline_serializer(
    "ForecastCarried",
    fields={
        "period": serializers.CharField(),
        "kind": serializers.CharField(),
        "version": serializers.IntegerField(),
        "results": many(obj()),
        "origin": obj(),
    },
)


class ForecastScenariosView(KetenView):
    @documented(
        "forecast_scenarios",
        "The shipped forecast scenarios, their assumptions and sources",
        SCENARIOS,
        "Each scenario's title, what its file sets, and the source of every figure.",
    )
    def get(self, request: Request) -> Response:
        return Response(forecast_runs.scenarios(self.actor(request)))


class ForecastRunsView(KetenView):
    @documented(
        "forecast_runs_list",
        "Forecast runs, newest first",
        RUNS,
        "Who asked, when and why, and how far each is.",
        parameters=[query_int("page", 1, 10_000)],
    )
    def get(self, request: Request) -> Response:
        return Response(
            forecast_runs.list_runs(self.actor(request), self.int_param(request, "page", 1))
        )

    @documented(
        "forecast_runs_start",
        "Start a forecast run from today's chain (a job: 202, poll its URL)",
        RUN,
        "Queued: the run's URL is in Location; a worker takes it up.",
        status=202,
        errors=(400, 401, 403),
        request=START,
        parameters=[ON],
    )
    def post(self, request: Request) -> Response:
        row = forecast_runs.start_run(self.actor(request), self.body(request), self.on(request))
        response = Response(row, status=202)
        response["Location"] = row["url"]
        return response


class ForecastRunView(KetenView):
    @documented(
        "forecast_run_read",
        "A forecast run: progress, then its bands",
        RUN_DETAIL,
        "While queued or running: status and progress; once done: the result.",
        errors=ONE_ERRORS,
    )
    def get(self, request: Request, run_id: int) -> Response:
        return Response(forecast_runs.run_detail(self.actor(request), run_id))


class ForecastCompareView(KetenView):
    @documented(
        "forecast_compare",
        "Two finished runs side by side, with the differences",
        COMPARISON,
        "Per stock the median at each year's end, the taakstelling per half-year and the "
        "dwangsom per year, for the periods both runs cover; difference = b - a.",
        parameters=[query_int("a", 1, MAX_ID), query_int("b", 1, MAX_ID)],
        errors=(*ONE_ERRORS, 422),
    )
    def get(self, request: Request) -> Response:
        for name in ("a", "b"):
            if not request.query_params.get(name):
                raise BadInputError(name, "is required: a run's id", "is verplicht: een run-id")
        a = self.int_param(request, "a", 0, high=MAX_ID)
        b = self.int_param(request, "b", 0, high=MAX_ID)
        return Response(forecast_runs.compare(self.actor(request), a, b))


class ForecastCarryView(KetenView):
    @documented(
        "forecast_carry",
        "Carry a half-year's forecast figure into the taakstelling split",
        CARRIED,
        "The run's median of permit holders to house in the half-year, announced as the "
        "national figure and split over the municipalities by population.",
        status=201,
        errors=WRITE_ERRORS,
        etag="The half-year's new taakstelling version",
        request=CARRY,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request, run_id: int) -> Response:
        body = self.body(request)
        data = forecast_runs.carry(
            self.actor(request), run_id, body, self.if_match(request, body), self.on(request)
        )
        return self.with_etag(data, 201)
