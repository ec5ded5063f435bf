"""The Belgian services' own organisations and roles (seed 000: DVZ with its Bureau Opsporingen,
CGVS, Fedasil "voor België"): they take part in the exchange and in nothing Dutch. No dossier,
no work queue, no person search, on the policy and over HTTP; and on this Dutch instance a
Belgian officer acts in the exchange only with the partners it is accredited with (seed 000
point 1: the DVZ's liaison officer "wordt geaccrediteerd bij zowel de IND als de DT&V")."""

from __future__ import annotations

from datetime import date, timedelta

from keten.server.services.policy import policy
from keten.server.setup import DEMO_USERS
from tests.server.live import Browser, Server
from tests.server.world import World

BELGIAN_USERS = {
    user: role for user, (org, role) in DEMO_USERS.items() if org in ("DVZ", "CGVS", "Fedasil")
}
# Every resource that holds a person of the Dutch dossier or its work.
DOSSIER = {
    "identity",
    "procedure",
    "decision",
    "rule_trail",
    "letter",
    "asylum_motive",
    "finding_1f",
    "measure",
    "placement",
    "document",
    "handover",
    "detention_overview",
    "duplicate_review",
    "subscription",
    "audit",
}


def test_the_belgian_services_are_organisations_of_their_own() -> None:
    belgian = {o["code"]: o for o in policy().organisations if o.get("country") == "BE"}
    assert set(belgian) == {"DVZ", "CGVS", "Fedasil"}
    assert {o["kind"] for o in belgian.values()} == {"dvz", "cgvs", "fedasil"}
    assert set(BELGIAN_USERS.values()) == {
        "dvz_liaison_officer",
        "dvz_bureau_opsporingen",
        "dvz_return_officer",
        "cgvs_coi_officer",
    }
    for role_id in BELGIAN_USERS.values():
        role = policy().roles[role_id]
        assert role.organisation_kind in ("dvz", "cgvs")
        assert role.scope == "none" and not role.procedures, role_id
        assert not DOSSIER & set(role.allow), (role_id, DOSSIER & set(role.allow))
        assert role.can("exchange", "write")
    # No queue is theirs: no procedure type is worked by a Belgian organisation kind.
    assert not {kind for kind, _ in policy().queues.values()} & {"dvz", "cgvs", "fedasil"}


def test_belgian_officers_read_no_dossier_and_no_queue(live: Server, world: World) -> None:
    for user in BELGIAN_USERS:
        for path in (
            f"/api/v1/persons/{world.p}",
            f"/api/v1/persons/{world.p}/procedures",
            "/api/v1/persons?surname=a",
            "/api/v1/queue",
            "/api/v1/queue/summary",
        ):
            got = live.get(path, user)
            assert got.status == 403, (user, path, got.status, got.text[:200])
            assert got.body.get("detail_nl"), (user, path)
        browser = Browser(live.base)
        browser.login(user)
        status, _ = browser.open(f"/persons/{world.p}")
        assert status == 403, (user, status)
        status, html = browser.open("/")  # the home page is the exchange, not a queue
        assert status == 200 and "Uitwisseling met partnerdiensten" in html, (user, html[:300])
        # Nor the chain dashboard: it would show Dutch zeros where they read no figures.
        assert 'href="/dashboard"' not in html, user
        status, html = browser.open("/dashboard")
        assert status == 200 and "Uw rol ziet geen cijfers over procedures." in html
        assert "Termijnen overschreden" not in html, user
    # The Dutch roles that read figures are still offered it.
    browser = Browser(live.base)
    browser.login("coa")
    assert 'href="/dashboard"' in browser.open("/queue")[1]


def test_a_belgian_officer_on_this_dutch_instance_acts_only_where_accredited(
    live: Server,
) -> None:
    from keten.server.audit.keys import generate
    from keten.server.exchange.models import Partner
    from keten.server.services import exchange

    if not exchange.key_path().exists():
        generate(exchange.key_path())
    if not Partner.objects.filter(code="XX-BE-ROLES").exists():
        exchange.add_partner(
            "XX-BE-ROLES", "Test partner", "XX", "http://127.0.0.1:9/api/v1/exchange/inbox", "t"
        )
    assert exchange.own_country() == "NL"
    # Bureau Opsporingen works for every partner on a Belgian instance; here it is a guest.
    partners = live.get("/api/v1/exchange/partners", "dvz-opsporingen")
    assert partners.status == 200, partners.text
    assert "XX-BE-ROLES" not in {p["code"] for p in partners.body["results"]}
    ask = {
        "partner": "XX-BE-ROLES",
        "kind": "request_1f_information",
        "person": {"surname": "Gast", "birth_date": "1980-00-00", "nationality": "AFG"},
        "question": "?",
        "sender_reference": "DVZ-BO-GAST",
        "reason": "test",
    }
    refused = live.request("POST", "/api/v1/exchange/requests", "dvz-opsporingen", ask)
    assert refused.status == 404, refused.text
    assert "geaccrediteerd" in refused.body["rule_nl"]
    # The IND's Unit 1F, of this instance's country, acts for every partner.
    own = live.get("/api/v1/exchange/partners", "ind-1f")
    assert "XX-BE-ROLES" in {p["code"] for p in own.body["results"]}
    # Accredited for a day, the DVZ's liaison officer acts with that partner (point 1).
    today = date.today()
    exchange.accredit("dvz-verbindingsambtenaar", "XX-BE-ROLES", today, today, "accreditatie")
    sent = live.request(
        "POST",
        "/api/v1/exchange/requests",
        "dvz-verbindingsambtenaar",
        {**ask, "sender_reference": "DVZ-VB-1"},
    )
    assert sent.status == 201, sent.text
    assert sent.body["recorded_by"] == "dvz-verbindingsambtenaar"
    lapsed = today - timedelta(days=3)
    exchange.accredit("dvz-opsporingen", "XX-BE-ROLES", lapsed, lapsed, "verlopen")
    still = live.request("POST", "/api/v1/exchange/requests", "dvz-opsporingen", ask)
    assert still.status == 404, still.text
