"""Login attempts, the memory of the throttle (``keten.server.services.authentication``).

In the database, not in a process: every server process and worker sees the same failures,
so adding processes does not add guesses. A row is written before the password is checked
and stands as a failure unless the check succeeds (then it is deleted): concurrent attempts
cannot all slip in under the limit while each waits for the slow password hash.
"""

from __future__ import annotations

from django.db import models


class LoginAttempt(models.Model):
    username = models.CharField(max_length=150)  # as tried: known or not, the same rule
    address = models.CharField(max_length=64, blank=True)  # REMOTE_ADDR; empty outside HTTP
    at = models.DateTimeField()
    # A successful login of the account clears its own failures for the account's count
    # only: the address keeps counting them, so that logging in to one's own account in
    # between cannot wipe the failures one made against others from the same address.
    counts_for_account = models.BooleanField(default=True)

    class Meta:
        indexes = (
            models.Index(fields=["username", "at"], name="login_attempt_account"),
            models.Index(fields=["address", "at"], name="login_attempt_address"),
            models.Index(fields=["at"], name="login_attempt_at"),  # pruning
        )

    def __str__(self) -> str:
        return f"{self.username!r} from {self.address or '-'} at {self.at.isoformat()}"
