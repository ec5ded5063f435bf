"""When failures lock a name or an address: a pure rule over the times of the failures, apart
from the database that keeps them (``keten.server.services.authentication``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Lock:
    """Attempts are refused until ``until``."""

    until: datetime

    def retry_after(self, now: datetime) -> int:
        """Whole seconds to wait (the HTTP ``Retry-After``), at least one."""
        return max(1, math.ceil((self.until - now).total_seconds()))


def locked_until(
    times: Sequence[datetime], limit: int, window: timedelta, lock: timedelta, now: datetime
) -> datetime | None:
    """The end of the lock that the failures at ``times`` (newest first, at least the newest
    ``limit``) put in force at ``now``, or None. A lock starts at the failure that made
    ``limit`` failures within ``window`` and lasts ``lock``; refused attempts are not
    failures, so the newest failure is the one that started the lock in force."""
    if limit <= 0 or len(times) < limit:
        return None
    newest, oldest = times[0], times[limit - 1]
    if newest - oldest > window:
        return None
    end = newest + lock
    return end if end > now else None
