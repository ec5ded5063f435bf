"""Notifications: who is told what, and how.

``models`` holds the rows: an in-app notification per recipient (``Notification``), the outbox
a hand-over writes in its own transaction (``HandoverOutbox``), the daily digest sent per
recipient and day (``DigestSent``), a reader's horizon (``Preference``), and the partners'
webhook subscriptions with their deliveries and every attempt. The logic is in
``keten/server/services/notifications.py`` and its submodules ``digest`` and ``webhooks``.
"""
