"""``/api/v1/countries``: the country register (``services/country_register.py``), thin views as
in ``views``: parse, call one service function with the request's actor, return its dict."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import ONE_ERRORS, obj, operation, query_text
from keten.server.api.views import ON, KetenView
from keten.server.services import country_register

CODE = OpenApiParameter(
    "code",
    {"type": "string", "pattern": "^[A-Za-z]{3}$", "maxLength": 3},
    OpenApiParameter.PATH,
    description="ISO 3166-1 alpha-3 code (XKX: Kosovo; XXA stateless, XXX unspecified: no "
    "country facts), e.g. `MAR`.",
)

_HEADER: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "on": serializers.DateField(),
    "register_version": serializers.CharField(
        help_text="First 12 hex digits of the SHA-256 over the register's four files."
    ),
    "register": serializers.CharField(help_text="Where the register's files are."),
    "unknown_otherwise": serializers.BooleanField(
        help_text="Always true: a fact without an entry is unknown, never 'no'."
    ),
}

COUNTRY_LIST = inline_serializer(
    "CountryRegister",
    fields={
        **_HEADER,
        "q": serializers.CharField(),
        "count": serializers.IntegerField(),
        "results": serializers.ListField(
            child=obj(),
            help_text="Per country: code, name_nl, name_en; rate_percent, rate_period, "
            "rate_verified, rate_entry (the latest yearly EU-wide first-instance rate on the "
            "international-protection basis published by `on`); income_group, "
            "income_group_text(_en), gni_per_capita_usd, income_rank, top35, income_entry; "
            "safe (true or null), safe_excepted_groups, safe_exception_nl/_en, safe_entry; "
            "visa, visa_text(_en), visa_entry. null: no entry (unknown).",
        ),
    },
)

COUNTRY = inline_serializer(
    "CountryProfile",
    fields={
        **_HEADER,
        "code": serializers.CharField(),
        "alpha_2": serializers.CharField(allow_null=True),
        "name_nl": serializers.CharField(),
        "name_en": serializers.CharField(),
        "is_country": serializers.BooleanField(
            help_text="False for the ICAO codes XXA (stateless) and XXX: no country facts."
        ),
        "recognition_rate": serializers.DictField(
            help_text="basis (international_protection, all_positive) -> yearly, quarterly: "
            "the latest figure published by `on`, or null."
        ),
        "income_edition": serializers.CharField(allow_null=True),
        "income": serializers.DictField(allow_null=True),
        "top35": serializers.BooleanField(allow_null=True),
        "safe_country": serializers.DictField(allow_null=True),
        "visa": serializers.DictField(allow_null=True),
        "return_cooperation": serializers.ListField(child=obj()),
        "return_cooperation_version": serializers.CharField(),
        "history": serializers.DictField(
            help_text="Every entry for the country: recognition_rates, income, safe_country, "
            "visa, return_cooperation (each with its `entry`: file and line)."
        ),
    },
)


class CountriesView(KetenView):
    @operation(
        "countries",
        "Country register: every country on a day (landenregister)",
        COUNTRY_LIST,
        "Every country with its recognition rate, income group and top-35 membership, safe "
        "country and visa requirement on `on`, and the register's version.",
        parameters=[ON, query_text("q", "Part of a code or a Dutch or English name.")],
    )
    def get(self, request: Request) -> Response:
        return Response(
            country_register.countries(
                self.actor(request), self.on(request), request.query_params.get("q", "")
            )
        )


class CountryView(KetenView):
    @operation(
        "country",
        "One country in the register, with sources and history (landenprofiel)",
        COUNTRY,
        "The country's facts on `on`, each with its source, publication day, verified or "
        "not and its entry (file and line), and every entry it has.",
        errors=ONE_ERRORS,
        parameters=[CODE, ON],
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(country_register.country(self.actor(request), code, self.on(request)))
