"""Chain organisations and the role each user holds in one of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    """IND, COA, DTenV, KMar, DISA, Nidos, IOM, DJI, a municipality, the privacy office.

    ``code`` is the stable key used in hand-overs and access grants (``IND``,
    ``gemeente-utrecht``); ``kind`` is what the policy table speaks about.
    """

    code = models.CharField(max_length=64, primary_key=True)
    kind = models.CharField(max_length=32)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user works for one organisation in one role (and, where it has teams, one team)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    role = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation.code}, {self.role})"
