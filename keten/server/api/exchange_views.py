"""``/api/v1/exchange``: the exchange with partner services abroad (``services/exchange*.py``).

The inbox takes no user and no token: a partner's message is authenticated by its signature
(``services/exchange_inbox.py``). The other operations are the liaison officer's and Unit 1F's,
each through the policy's ``exchange`` resource and the officer's accreditation.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, obj, operation
from keten.server.api.views import KetenView
from keten.server.exchange.models import OUTCOMES
from keten.server.services import exchange, exchange_inbox
from keten.server.services.exchange_kinds import KINDS
from keten.server.services.return_escorts import SERVICE_IDS

MESSAGE_ID = OpenApiParameter(
    "message_id",
    {"type": "string", "format": "uuid"},
    OpenApiParameter.PATH,
    description="The message id (UUID), the same on both sides.",
)

RECEIPT = inline_serializer(
    "ExchangeReceipt",
    fields={
        "receipt_for": serializers.UUIDField(),
        "envelope_sha256": serializers.CharField(),
        "receiver": serializers.CharField(),
        "key_id": serializers.CharField(),
        "received_at": serializers.CharField(),
        "audit_reference": serializers.CharField(
            help_text="The receiver's audit trace of the receipt."
        ),
        "signature": serializers.CharField(help_text="Ed25519, base64, over the other fields."),
    },
)

INCOMING = inline_serializer(
    "ExchangeIncoming",
    fields={
        "envelope": obj(),
        "delivery": obj(),
    },
)

OUTBOX_ROW = inline_serializer(
    "ExchangeOutboxRow",
    fields={
        "message_id": serializers.UUIDField(),
        "partner": serializers.CharField(),
        "kind": serializers.CharField(),
        "status": serializers.ChoiceField(choices=["pending", "delivered"]),
        "attempts": serializers.IntegerField(),
        "next_try_at": serializers.CharField(allow_null=True),
        "last_error": serializers.CharField(),
        "delivered_at": serializers.CharField(allow_null=True),
        "outcome": serializers.CharField(allow_null=True),
        "in_reply_to": serializers.UUIDField(allow_null=True),
        "trace_id": serializers.CharField(),
        # When the body was erased after its kind's retention period (the rest stays).
        "body_erased_at": serializers.CharField(allow_null=True),
        "partner_audit_reference": serializers.CharField(allow_null=True),
        "recorded_by": serializers.CharField(),
        "recorded_at": serializers.CharField(),
        "envelope": obj(),
        "receipt": obj(),
    },
)

INBOX_ROW = inline_serializer(
    "ExchangeInboxRow",
    fields={
        "message_id": serializers.UUIDField(),
        "partner": serializers.CharField(),
        "kind": serializers.CharField(),
        "status": serializers.CharField(),
        "received_at": serializers.CharField(),
        "answered_by": serializers.CharField(allow_null=True),
        "answered_at": serializers.CharField(allow_null=True),
        "answer_id": serializers.UUIDField(allow_null=True),
        "in_reply_to": serializers.UUIDField(allow_null=True),
        "trace_id": serializers.CharField(),
        "body_erased_at": serializers.CharField(allow_null=True),
        "envelope": obj(),
        "receipt": obj(),
    },
)

MESSAGES = inline_serializer(
    "ExchangeMessages",
    fields={
        "box": serializers.ChoiceField(choices=["inbox", "outbox"]),
        "organisation": serializers.CharField(),
        "results": serializers.ListField(child=obj()),
    },
)

PARTNERS = inline_serializer(
    "ExchangePartners",
    fields={
        "organisation": serializers.CharField(),
        "key_id": serializers.CharField(allow_null=True),
        "kinds": serializers.ListField(child=obj()),
        "results": serializers.ListField(child=obj()),
    },
)

PERSON = inline_serializer(
    "ExchangePerson",
    fields={
        "surname": serializers.CharField(max_length=200),
        "given_names": serializers.CharField(max_length=200, required=False),
        "birth_date": serializers.CharField(
            max_length=10, help_text="YYYY-MM-DD, 00 for an unknown month or day."
        ),
        "nationality": serializers.CharField(max_length=3, help_text="ISO 3166-1 alpha-3."),
        "foreign_references": serializers.ListField(
            child=obj(),
            required=False,
            help_text="The partner's own numbers: objects with issuer and number.",
        ),
    },
)

REQUEST_INPUT = inline_serializer(
    "ExchangeRequestInput",
    fields={
        "partner": serializers.CharField(max_length=32, help_text="e.g. BE-DVZ-BO"),
        "kind": serializers.ChoiceField(
            choices=sorted(k for k, v in KINDS.items() if not v.is_answer and not v.informs),
            required=False,
        ),
        "person": PERSON,
        "question": serializers.CharField(max_length=4000),
        "sender_reference": serializers.CharField(
            max_length=64, help_text="Your own reference, which the partner quotes."
        ),
        "legal_basis": serializers.CharField(
            max_length=500, required=False, help_text="Default: the kind's."
        ),
        "purpose": serializers.CharField(max_length=500, required=False),
        "reason": serializers.CharField(max_length=2000),
    },
)

ANSWER_INPUT = inline_serializer(
    "ExchangeAnswerInput",
    fields={
        "outcome": serializers.ChoiceField(choices=list(OUTCOMES)),
        "answer": serializers.CharField(
            max_length=16000, required=False, help_text="Required unless refused."
        ),
        "refusal_reason": serializers.CharField(
            max_length=2000, required=False, help_text="Required when refused or partly answered."
        ),
        "sender_reference": serializers.CharField(max_length=64, required=False),
        "reason": serializers.CharField(max_length=2000),
    },
)


class ExchangeInboxView(KetenView):
    # A partner's server has no account here: the message's signature is its credential.
    authentication_classes: tuple[Any, ...] = ()
    permission_classes = (AllowAny,)

    @operation(
        "exchange_receive",
        "Receive a partner's signed message (no token: the signature authenticates it)",
        RECEIPT,
        "The signed receipt: 201 when kept now, 200 for a redelivery (the same receipt).",
        status=201,
        errors=(400, 401, 403, 409, 422),
        request=INCOMING,
    )
    def post(self, request: Request) -> Response:
        status, receipt = exchange_inbox.receive(request.data)
        return Response(receipt, status=status)


class ExchangeMessagesView(KetenView):
    @operation(
        "exchange_messages",
        "The exchange's work queue (inbox) or what was sent (outbox)",
        MESSAGES,
        "For the partners the role may act for (a liaison officer: those it is accredited "
        "with today), newest first, open requests first in the inbox.",
        parameters=[
            OpenApiParameter("box", str, enum=["inbox", "outbox"]),
            OpenApiParameter(
                "status",
                str,
                enum=["open", "answered", "partly_answered", "refused", "pending", "delivered"],
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        return Response(
            exchange.messages(
                self.actor(request), qp.get("box", "inbox") or "inbox", qp.get("status", "")
            )
        )


class ExchangeRequestsView(KetenView):
    @operation(
        "exchange_request_send",
        "Send a request to a partner (e.g. information on a 1F exclusion)",
        OUTBOX_ROW,
        "The signed message in the outbox; a job delivers it until the partner's receipt.",
        status=201,
        errors=(*ONE_ERRORS, 422, 503),
        request=REQUEST_INPUT,
    )
    def post(self, request: Request) -> Response:
        return Response(exchange.send_request(self.actor(request), self.body(request)), status=201)


class ExchangeAnswerView(KetenView):
    @operation(
        "exchange_answer",
        "Answer, partly answer or refuse a request received",
        INBOX_ROW,
        "The request with its outcome; the answer is in the outbox on its way.",
        errors=(*WRITE_ERRORS, 503),
        request=ANSWER_INPUT,
        parameters=[MESSAGE_ID],
    )
    def post(self, request: Request, message_id: Any) -> Response:
        return Response(exchange.answer(self.actor(request), str(message_id), self.body(request)))


SHARE_INPUT = inline_serializer(
    "ExchangeShareInput",
    fields={
        "partner": serializers.CharField(max_length=32, help_text="e.g. BE-CGVS"),
        "kind": serializers.ChoiceField(choices=sorted(k for k, v in KINDS.items() if v.informs)),
        "document": serializers.IntegerField(
            required=False, help_text="coi_report: the id of a shareable COI report of ours."
        ),
        "on": serializers.DateField(
            required=False, help_text="return_operation_programme: the programme from this day."
        ),
        "operation": serializers.IntegerField(
            required=False,
            help_text="return_operation_seats: our id of the partner's operation (taken over).",
        ),
        "seats": serializers.IntegerField(
            required=False, min_value=1, max_value=1000, help_text="return_operation_seats."
        ),
        "escorts": serializers.IntegerField(
            required=False,
            min_value=1,
            help_text="return_operation_seats: escorts this side brings (with escort_service).",
        ),
        "escort_service": serializers.ChoiceField(
            choices=list(SERVICE_IDS), required=False, help_text="return_operation_seats."
        ),
        "request": serializers.IntegerField(
            required=False,
            help_text="return_joint_request: the id of a joint request of ours with this partner.",
        ),
        "sender_reference": serializers.CharField(max_length=64),
        "reason": serializers.CharField(max_length=2000),
    },
)

TAKE_OVER_INPUT = inline_serializer(
    "ExchangeTakeOverInput", fields={"reason": serializers.CharField(max_length=2000)}
)


class ExchangeShareView(KetenView):
    @operation(
        "exchange_share",
        "Share information with a partner: a COI report, flights, seats or a joint request",
        OUTBOX_ROW,
        "The signed message in the outbox; no answer is owed, the partner may take it over.",
        status=201,
        errors=(*ONE_ERRORS, 422, 503),
        request=SHARE_INPUT,
    )
    def post(self, request: Request) -> Response:
        return Response(exchange.share(self.actor(request), self.body(request)), status=201)


TAKEN_OVER = inline_serializer(
    "ExchangeTakenOver",
    fields={
        "message_id": serializers.UUIDField(),
        "partner": serializers.CharField(),
        "kind": serializers.CharField(),
        "status": serializers.CharField(),
        "stored": serializers.JSONField(
            help_text="What was stored: the COI report, or the flight programme's operations."
        ),
    },
)


class ExchangeTakeOverView(KetenView):
    @operation(
        "exchange_take_over",
        "Take shared information over into this side's records (COI report, flight programme)",
        TAKEN_OVER,
        "The message, now taken over, and what was stored (marked as received from the partner).",
        errors=(*WRITE_ERRORS, 503),
        request=TAKE_OVER_INPUT,
        parameters=[MESSAGE_ID],
    )
    def post(self, request: Request, message_id: Any) -> Response:
        return Response(
            exchange.take_over(self.actor(request), str(message_id), self.body(request))
        )


class ExchangePartnersView(KetenView):
    @operation(
        "exchange_partners",
        "This instance's code and key, the kinds of message and the partners with their keys",
        PARTNERS,
        "Public keys' ids and validity only; a liaison officer sees its partners.",
        errors=READ_ERRORS,
    )
    def get(self, request: Request) -> Response:
        return Response(exchange.partners_json(self.actor(request)))
