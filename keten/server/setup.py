"""Preparing a server: migrate, organisations, sample data when empty, the work-queue cache
brought up to date when the catalogue, calendar or policy changed, demo accounts, and a first
signed checkpoint of the audit log's heads (with a signing key, when there is none yet).

Used by ``keten demo`` and ``keten server setup`` (the tests and CI call the latter).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from keten.server.audit.witness import Written
    from keten.server.services.cache_refresh import Refreshed


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keten.server.settings")
    import django

    django.setup()


# user name -> (organisation code, role); one per role, municipalities as Utrecht.
DEMO_USERS: dict[str, tuple[str, str]] = {
    # A colleague in the same team, to whom cases of the queue are assigned (listed before
    # "ind", so that "ind" stays the account of the role where one account per role is read).
    "ind-collega": ("IND", "ind_case_worker"),
    "ind": ("IND", "ind_case_worker"),
    "ind-dublin": ("IND", "ind_dublin"),
    "ind-1f": ("IND", "ind_unit_1f"),
    "ind-proces": ("IND", "ind_litigation"),
    "coa": ("COA", "coa_planner"),
    "dtenv": ("DTenV", "dtenv_officer"),
    "kmar": ("KMar", "kmar_officer"),
    "disa": ("DISA", "disa_officer"),
    "nidos": ("Nidos", "nidos_guardian"),
    "iom": ("IOM", "iom_officer"),
    "gemeente-utrecht": ("gemeente-utrecht", "municipality_officer"),
    "dji": ("DJI", "dji_officer"),
    "privacy": ("FG", "privacy_officer"),
    "jenv": ("JenV", "ministry_taakstelling"),
    "jenv-beleid": ("JenV", "ministry_policy"),
    "provincie-noord-brabant": ("provincie-noord-brabant", "province_supervisor"),
    "ind-management": ("IND", "ind_management"),
    # Accredited with a partner by `keten server exchange-accredit` (docs/exchange.md).
    "verbindingsambtenaar": ("IND", "liaison_officer"),
    # The Belgian services' roles (seed 000), used by a Belgian instance; on a Dutch instance
    # they act in the exchange only where accredited (the DVZ's liaison officer, point 1).
    "dvz-verbindingsambtenaar": ("DVZ", "dvz_liaison_officer"),
    "dvz-opsporingen": ("DVZ", "dvz_bureau_opsporingen"),
    "dvz-terugkeer": ("DVZ", "dvz_return_officer"),
    "cgvs": ("CGVS", "cgvs_coi_officer"),
}
DEMO_PASSWORD = "keten-demo"


@dataclass
class SetupResult:
    created_sample: bool
    persons: int
    procedures: int
    tokens: dict[str, str]
    refreshed: Refreshed | None = None  # the cache was recomputed: it predated this code's data
    checkpoint: Written | None = None  # the audit log's heads, signed and witnessed
    new_key: bool = False  # the audit signing key was created (a first setup)
    witness_error: str = ""  # why no checkpoint was written


def setup(
    persons: int = 400, on: date | None = None, seed: int = 0, verbosity: int = 0
) -> SetupResult:
    django_setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from keten.server.dossiers.models import Person, Procedure
    from keten.server.organisations.models import Membership
    from keten.server.sample_load import ensure_organisations, load
    from keten.server.services.cache_refresh import (
        cache_is_current,
        record_fingerprint,
        refresh_cache,
    )

    call_command("migrate", interactive=False, verbosity=verbosity)
    ensure_organisations()
    created = False
    if not Person.objects.exists() and persons > 0:
        with transaction.atomic():  # the sample and its fingerprint, or neither
            load(persons, on or date.today(), seed)
            record_fingerprint()  # computed by this code just now
        created = True
    from keten.server.coi import shipped

    shipped.ensure()  # the shipped country-of-origin reports, once each
    refreshed = None
    if not created and not cache_is_current():
        refreshed = refresh_cache()
    user_model = get_user_model()
    tokens = {}
    for username, (org, role) in DEMO_USERS.items():
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(username, password=DEMO_PASSWORD)
        if not user.email:  # the daily digest goes by e-mail (a reserved domain: never delivered)
            user.email = f"{username}@keten.example"
            user.save(update_fields=["email"])
        Membership.objects.update_or_create(
            user=user, defaults={"organisation_id": org, "role": role}
        )
        tokens[username] = _live_token(user).key
    result = SetupResult(
        created, Person.objects.count(), Procedure.objects.count(), tokens, refreshed
    )
    _witness(result)
    return result


def _witness(result: SetupResult) -> None:
    """Sign the audit log's heads and witness them, creating the signing key on a first
    setup, so that a demo is witnessed with no step of its own. A failure is reported and
    does not undo the setup: the server then logs it at every interval until it is fixed."""
    from keten.server.audit.keys import SigningKeyError
    from keten.server.audit.witness import Places, WitnessError, ensure_key, write_checkpoint

    places = Places.from_env()
    try:
        result.new_key = ensure_key(places)[1]
        result.checkpoint = write_checkpoint(places)
    except (OSError, SigningKeyError, WitnessError) as exc:
        result.witness_error = str(exc)


def _live_token(user: User) -> Token:
    """The account's API token, a new one when the old one passed its maximum age (so a demo
    database kept for months still gives tokens that work)."""
    from rest_framework.authtoken.models import Token

    from keten.server.authn.tokens import expired

    token = Token.objects.filter(user=user).first()
    if token is not None and expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)
