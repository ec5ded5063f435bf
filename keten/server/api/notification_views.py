"""``/api/v1/notifications`` (the reader's own inbox: deadlines, dwangsom, hand-overs received;
mark read; the horizon in days) and ``/api/v1/subscriptions`` (an organisation's webhooks for
the hand-overs it receives, with every delivery attempt). Services: ``services/notifications``
and ``services/webhooks``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import ONE_ERRORS, READ_ERRORS, many, obj, operation, query_int
from keten.server.api.views import KetenView
from keten.server.services import notifications, webhooks
from keten.server.services.bounds import MAX_ID
from keten.server.services.notification_due import MAX_DAYS, MIN_DAYS


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "nl").startswith("en") else "nl"


NOTIFICATION = inline_serializer(
    "Notification",
    fields={
        "id": serializers.IntegerField(),
        "kind": serializers.ChoiceField(
            choices=["deadline_due", "overdue", "dwangsom", "handover", "team_due"]
        ),
        "text": serializers.CharField(help_text="In the reader's language (Dutch by default)."),
        "text_nl": serializers.CharField(),
        "text_en": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
        "created_shown": serializers.CharField(help_text="dd-mm-yyyy hh:mm, Amsterdam time."),
        "read_at": serializers.DateTimeField(allow_null=True),
        "read": serializers.BooleanField(),
        "procedure": serializers.IntegerField(allow_null=True),
        "person": serializers.DictField(
            allow_null=True,
            help_text="id and url; v_number and name only for a role that reads identity.",
        ),
        "handover": serializers.IntegerField(allow_null=True),
        "counts": serializers.DictField(
            child=serializers.IntegerField(), help_text="team_due: overdue, due_soon, dwangsom."
        ),
    },
)
INBOX = inline_serializer(
    "Inbox",
    fields={
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "has_next": serializers.BooleanField(),
        "next": serializers.CharField(allow_null=True),
        "unread": serializers.IntegerField(),
        "days_ahead": serializers.IntegerField(),
        "results": many(NOTIFICATION),
    },
)
READ = inline_serializer(
    "NotificationRead",
    fields={
        "id": serializers.IntegerField(),
        "read": serializers.BooleanField(),
        "read_at": serializers.DateTimeField(),
    },
)
SETTINGS = inline_serializer(
    "NotificationSettings",
    fields={"days_ahead": serializers.IntegerField(min_value=MIN_DAYS, max_value=MAX_DAYS)},
)
ID = OpenApiParameter(
    "notification_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, OpenApiParameter.PATH
)
SUB_ID = OpenApiParameter(
    "subscription_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, OpenApiParameter.PATH
)
SUBSCRIPTION = inline_serializer(
    "Subscription",
    fields={
        "id": serializers.IntegerField(),
        "organisation": serializers.CharField(),
        "url": serializers.CharField(),
        "channels": serializers.ListField(child=serializers.CharField()),
        "active": serializers.BooleanField(),
        "recorded_by": serializers.CharField(),
        "recorded_role": serializers.CharField(),
        "recorded_at": serializers.DateTimeField(),
        "reason": serializers.CharField(),
        "ended_at": serializers.DateTimeField(allow_null=True),
        "secret": serializers.CharField(
            required=False, help_text="On creation only: keep it to verify the signatures."
        ),
    },
)
SUBSCRIBE = inline_serializer(
    "SubscriptionInput",
    fields={
        "url": serializers.CharField(
            max_length=webhooks.MAX_URL, help_text="https (http only on loopback)."
        ),
        "channels": serializers.ListField(
            child=serializers.ChoiceField(choices=list(webhooks.CHANNELS)), required=False
        ),
        "secret": serializers.CharField(
            required=False,
            min_length=webhooks.SECRET_MIN,
            max_length=webhooks.SECRET_MAX,
            help_text="Left out: the server makes one and answers it once.",
        ),
        "reason": serializers.CharField(),
    },
)
END = inline_serializer("SubscriptionEnd", fields={"reason": serializers.CharField()})


class NotificationsView(KetenView):
    @operation(
        "notifications_list",
        "Your notifications, newest first (deadlines, dwangsom, hand-overs received)",
        INBOX,
        "Only what your role may read about persons in your scope; reading is audited.",
        parameters=[
            query_int("page", 1, 10_000),
            query_int("page_size", 1, notifications.MAX_PAGE_SIZE),
            OpenApiParameter("unread", bool, description="Only unread ones."),
        ],
    )
    def get(self, request: Request) -> Response:
        params = {k: request.query_params.get(k) for k in ("page", "page_size", "unread")}
        data = notifications.inbox(self.actor(request), params, _lang())
        return self.paged(request, data)


class NotificationReadView(KetenView):
    @operation(
        "notification_read",
        "Mark one of your notifications read",
        READ,
        "Marked read (again: unchanged).",
        errors=ONE_ERRORS,
        request=None,
        parameters=[ID],
    )
    def post(self, request: Request, notification_id: int) -> Response:
        return Response(notifications.mark_read(self.actor(request), notification_id))


class NotificationSettingsView(KetenView):
    @operation("notification_settings_read", "Your notification horizon", SETTINGS, "Days ahead.")
    def get(self, request: Request) -> Response:
        return Response({"days_ahead": notifications.days_of(self.actor(request).username)})

    @operation(
        "notification_settings_write",
        "Set how many days ahead you are told of deadlines and dwangsom (1 to 60)",
        SETTINGS,
        "The horizon as stored.",
        request=SETTINGS,
    )
    def post(self, request: Request) -> Response:
        return Response(notifications.set_days(self.actor(request), self.body(request)))


class SubscriptionsView(KetenView):
    @operation(
        "subscriptions_list",
        "Your organisation's webhook subscriptions (no secrets)",
        inline_serializer("Subscriptions", fields={"results": many(SUBSCRIPTION)}),
        "Newest first.",
        errors=READ_ERRORS,
    )
    def get(self, request: Request) -> Response:
        return Response(webhooks.subscriptions(self.actor(request)))

    @operation(
        "subscriptions_create",
        "Subscribe a URL to the hand-overs your organisation receives",
        SUBSCRIPTION,
        "Created; the secret is answered this once.",
        status=201,
        request=SUBSCRIBE,
    )
    def post(self, request: Request) -> Response:
        return Response(webhooks.subscribe(self.actor(request), self.body(request)), status=201)


class SubscriptionEndView(KetenView):
    @operation(
        "subscription_end",
        "End one of your organisation's subscriptions",
        SUBSCRIPTION,
        "Ended; no further deliveries.",
        errors=ONE_ERRORS,
        request=END,
        parameters=[SUB_ID],
    )
    def post(self, request: Request, subscription_id: int) -> Response:
        actor = self.actor(request)
        return Response(webhooks.end_subscription(actor, subscription_id, self.body(request)))


class SubscriptionDeliveriesView(KetenView):
    @operation(
        "subscription_deliveries",
        "A subscription's deliveries and every attempt (status, error, next try)",
        inline_serializer("Deliveries", fields={"results": many(obj())}),
        "The last hundred, newest first.",
        errors=ONE_ERRORS,
        parameters=[SUB_ID],
    )
    def get(self, request: Request, subscription_id: int) -> Response:
        data: dict[str, Any] = webhooks.deliveries(self.actor(request), subscription_id)
        return Response(data)
