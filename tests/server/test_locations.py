"""The location register and placing people into registered locations, through real HTTP:
what each kind of location allows (from the seeds' sentences), the capacity check and the
overcapacity mark, closing, the register's API with its versions, bounds and access."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from keten.chain.locations import PLACEMENTS_AT
from tests.server.live import Browser, Reply, Server
from tests.server.sites import site
from tests.server.world import register, version


def _today() -> date:
    """The server's today: Django set the process's time zone (Europe/Amsterdam) when the
    ``live`` fixture set it up, so this is read at call time, not at import."""
    return date.today()


def _day(days_ago: int) -> str:
    return (_today() - timedelta(days=days_ago)).isoformat()


def _place(live: Server, person: int, user: str = "coa", **body: object) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/placements",
        user,
        {"start": _day(0), **body, "reason": "test"},
        headers={"If-Match": version(live, person)},
    )


def _location(live: Server, code: str, user: str = "coa", on: str | None = None) -> dict[str, Any]:
    reply = live.get(f"/api/v1/locations/{code}" + (f"?on={on}" if on else ""), user)
    assert reply.status == 200, reply.text
    return dict(reply.body)


def _placements(live: Server, person: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = live.get(f"/api/v1/persons/{person}/placements", "ind").body[
        "results"
    ]
    return rows


def _capacity(live: Server, code: str, user: str = "coa", **body: object) -> Reply:
    current = live.get(f"/api/v1/locations/{code}", user).headers["ETag"]
    return live.request(
        "POST",
        f"/api/v1/locations/{code}/capacity",
        user,
        {**body, "reason": "test"},
        headers={"If-Match": current},
    )


# -- from the seeds' sentences -----------------------------------------------------------------


def test_a_crisis_stay_past_seven_days_is_flagged_with_its_source(live: Server) -> None:
    """Seed 001, 4.1: "wanneer ook dit niet langer toereikend is kan als uiterste redmiddel
    crisisnoodopvang worden ingezet (max. 7 dagen opvang in bijv. lokale sporthallen)".
    A stay's first day is day 1: placed seven days ago, today is the 8th day, over the maximum;
    placed six days ago, today is the 7th, within it."""
    crisis = site(live, "coa", "crisis")
    over = int(register(live)["id"])
    within = int(register(live)["id"])
    assert _place(live, over, kind="coa_crisis", site=crisis, start=_day(7)).status == 201
    assert _place(live, within, kind="coa_crisis", site=crisis, start=_day(6)).status == 201
    flag = _placements(live, over)[0]["overstay"]
    assert flag is not None
    assert flag["max_days"] == 7 and flag["days"] == 8 and flag["since"] == _day(0)
    assert flag["source"]["seed"].startswith("001_")
    assert "max. 7 dagen" in flag["source"]["quote"]
    assert "boven het maximum van 7 dagen" in flag["text"]
    assert _placements(live, within)[0]["overstay"] is None
    # The occupancy figures count the same stays past the maximum as the flag names.
    rows = {r["key"]: r for r in live.get("/api/v1/occupancy", "coa").body["results"]}
    assert rows[crisis]["crisis_over_7"] == 1
    # Computed, not stored: the dossier page shows it, with the source in its title.
    from keten.server.dossiers.models import Placement

    assert not hasattr(Placement, "overstay")


def test_an_ended_crisis_stay_within_seven_days_carries_no_flag(live: Server) -> None:
    """The same sentence: a stay that ended on its 7th day (moved on the 8th day's morning:
    the end day is the first day no longer there) kept to the maximum."""
    crisis = site(live, "coa", "crisis")
    person = int(register(live)["id"])
    placed = _place(live, person, kind="coa_crisis", site=crisis, start=_day(20), end=_day(13))
    assert placed.status == 201, placed.text
    assert _placements(live, person)[0]["overstay"] is None
    late = int(register(live)["id"])
    placed = _place(live, late, kind="coa_crisis", site=crisis, start=_day(20), end=_day(10))
    assert placed.status == 201, placed.text
    assert _placements(live, late)[0]["overstay"]["days"] == 10


def test_sober_reception_excludes_unaccompanied_minors(live: Server) -> None:
    """Seed 001, 4.2: "Alleen de alleenstaande minderjarige vreemdelingen waren uitgezonderd
    van het sobere regime." An amv is refused at a sober location; an adult is placed."""
    sober = site(live, "coa", "sober")
    amv = int(register(live, birth_date="2010-00-00", unaccompanied_minor=True)["id"])
    refused = _place(live, amv, kind="coa_regular", site=sober)
    assert refused.status == 422, refused.text
    assert refused.body["field"] == "site"
    assert "uitgezonderd van het sobere regime" in refused.body["rule"]
    assert "amv" in refused.body["rule_nl"]
    assert _placements(live, amv) == []
    adult = int(register(live)["id"])
    assert _place(live, adult, kind="coa_regular", site=sober).status == 201


def test_small_scale_units_take_unaccompanied_minors_only(live: Server) -> None:
    """Seed 001 (amv): "waar ze voor hun 18 worden opgevangen (Nidos opvanggezinnen of
    kleinschalige woonvoorzieningen)": the small-scale unit is the amv's place."""
    unit = site(live, "coa", "amv_small_scale")
    adult = int(register(live)["id"])
    refused = _place(live, adult, kind="coa_minors", site=unit)
    assert refused.status == 422 and refused.body["field"] == "site", refused.text
    assert "unaccompanied minors only" in refused.body["rule"]
    amv = int(register(live, birth_date="2010-00-00", unaccompanied_minor=True)["id"])
    assert _place(live, amv, kind="coa_minors", site=unit).status == 201


def test_the_closed_family_facility_takes_minors_and_families_only(live: Server) -> None:
    """Seed 004, Vc A5/2.4: "Ten aanzien van de plaatsing na inbewaringstelling van zowel
    alleenstaande minderjarigen als gezinnen met minderjarigen geldt dat zij uiterlijk binnen
    vijf dagen in de Gesloten Gezinsvoorziening geplaatst moeten worden." A single adult is
    refused there; a parent with a minor child is placed."""
    ggv = site(live, "dji", "ggv")
    single = int(register(live)["id"])
    parent = int(register(live, birth_date="1985-00-00")["id"])
    child = int(register(live, birth_date=f"{_today().year - 6}-00-00")["id"])
    linked = live.request(
        "POST",
        f"/api/v1/persons/{parent}/family",
        "ind",
        {"other_person_id": child, "relation": "parent", "reason": "test"},
        headers={"If-Match": version(live, parent)},
    )
    assert linked.status == 201, linked.text
    for person in (single, parent):  # DJI places whom it has a grant for: detention first
        measure = live.request(
            "POST",
            f"/api/v1/persons/{person}/measures",
            "kmar",
            {"kind": "detention", "start": _day(0), "reason": "test"},
            headers={"If-Match": version(live, person)},
        )
        assert measure.status == 201, measure.text
    refused = _place(live, single, "dji", kind="ggv", site=ggv)
    assert refused.status == 422 and refused.body["field"] == "site", refused.text
    assert "Gesloten Gezinsvoorziening" in refused.body["rule"]
    assert _place(live, parent, "dji", kind="ggv", site=ggv).status == 201


def test_one_open_placement_at_a_time_and_a_move_frees_the_old_place(live: Server) -> None:
    """A person stays in one place at a time (issue 14: "a move ends the previous placement in
    the same command"): the second open placement is refused; the move ends the first on the
    new start day, so the old location counts one fewer and the new one one more."""
    a = site(live, "coa", "regular")
    b = site(live, "coa", "emergency")
    person = int(register(live)["id"])
    assert _place(live, person, kind="coa_regular", site=a, start=_day(10)).status == 201
    assert _location(live, a)["occupied"] == 1
    second = _place(live, person, kind="coa_emergency", site=b)
    assert second.status == 422 and second.body["field"] == "move", second.text
    moved = _place(live, person, kind="coa_emergency", site=b, move=True)
    assert moved.status == 201, moved.text
    assert moved.body["site"] == b and moved.body["location"] == f"testlocatie {b}"
    assert _location(live, a)["occupied"] == 0 and _location(live, b)["occupied"] == 1


# -- the capacity check ------------------------------------------------------------------------


def test_a_full_location_refuses_unless_placed_over_capacity(live: Server) -> None:
    """Full means occupancy reaches the places minus the reserve: 3 places with 1 in reserve
    take 2 persons; the third is refused naming occupancy and capacity, in Dutch too, and is
    placed only when the request says overcapacity, which is stored and shown."""
    code = site(live, "coa", "regular", places=3, reserve=1)
    persons = [int(register(live)["id"]) for _ in range(3)]
    # Allowing overcapacity where there is room places as usual: nothing to mark.
    roomy = _place(live, persons[0], kind="coa_regular", site=code, overcapacity=True)
    assert roomy.status == 201 and roomy.body["overcapacity"] is False, roomy.text
    assert _place(live, persons[1], kind="coa_regular", site=code).status == 201
    full = _place(live, persons[2], kind="coa_regular", site=code)
    assert full.status == 422 and full.body["field"] == "site", full.text
    assert "2 staying, 3 places of which 1 reserve" in full.body["rule"]
    assert "is vol" in full.body["rule_nl"] and "2 bewoners" in full.body["rule_nl"]
    assert _placements(live, persons[2]) == []
    over = _place(live, persons[2], kind="coa_regular", site=code, overcapacity=True)
    assert over.status == 201, over.text
    assert over.body["overcapacity"] is True
    shown = _location(live, code)
    assert shown["occupied"] == 3 and shown["full"] and shown["free"] == 0
    assert [p["overcapacity"] for p in shown["persons"]] == [False, False, True]
    # Deploying the reserve gives a place (the reserve row), so the next is placed again.
    deployed = _capacity(live, code, change="reserve", valid_from=_day(0), reserve=0)
    assert deployed.status == 201, deployed.text
    assert deployed.body["reserve"] == 0 and deployed.body["free"] == 0


def test_a_closed_location_takes_nobody_and_closes_only_when_empty(live: Server) -> None:
    code = site(live, "coa", "emergency", places=10)
    other = site(live, "coa", "regular")
    person = int(register(live)["id"])
    assert _place(live, person, kind="coa_emergency", site=code, start=_day(5)).status == 201
    refused = _capacity(live, code, change="closing", valid_from=_day(0))
    assert refused.status == 422 and refused.body["field"] == "valid_from", refused.text
    assert "1 persons still stay" in refused.body["rule"]
    moved = _place(live, person, kind="coa_regular", site=other, start=_day(1), move=True)
    assert moved.status == 201, moved.text
    closed = _capacity(live, code, change="closing", valid_from=_day(0))
    assert closed.status == 201, closed.text
    assert closed.body["closes"] == _day(0) and closed.body["places"] == 0
    late = int(register(live)["id"])
    refused = _place(live, late, kind="coa_emergency", site=code)
    assert refused.status == 422 and refused.body["field"] == "site", refused.text
    assert "is not open" in refused.body["rule"] and "niet open" in refused.body["rule_nl"]
    before = _place(live, late, kind="coa_emergency", site=code, start=_day(3), end=_day(2))
    assert before.status == 201, before.text  # a past stay, while it was open


def test_wrong_kind_wrong_operator_and_a_municipality_are_refused(live: Server) -> None:
    regular = site(live, "coa", "regular")
    nidos_unit = site(live, "nidos", "amv_small_scale")
    person = int(register(live, birth_date="2010-00-00", unaccompanied_minor=True)["id"])
    wrong_kind = _place(live, person, kind="coa_emergency", site=regular)
    assert wrong_kind.status == 422 and wrong_kind.body["field"] == "site", wrong_kind.text
    assert "takes coa_regular, not coa_emergency" in wrong_kind.body["rule"]
    wrong_operator = _place(live, person, kind="coa_minors", site=nidos_unit)
    assert wrong_operator.status == 422, wrong_operator.text
    assert "is run by Nidos" in wrong_operator.body["rule"]
    unknown = _place(live, person, kind="coa_regular", site="nergens")
    assert unknown.status == 400 and unknown.body["field"] == "site", unknown.text
    missing = _place(live, person, kind="coa_regular", location="azc ergens")
    assert missing.status == 400 and missing.body["field"] == "site", missing.text
    # A municipality houses in its own homes: free text, never a registered location.
    as_home = _place(
        live,
        person,
        "gemeente-utrecht",
        kind="municipal_housing",
        municipality="utrecht",
        site=regular,
    )
    assert as_home.status in (400, 404), as_home.text
    coa_kind = _place(live, person, "gemeente-utrecht", kind="coa_regular", site=regular)
    assert coa_kind.status in (403, 404), coa_kind.text
    assert _placements(live, person) == []


# -- the register ------------------------------------------------------------------------------


def test_the_register_lists_the_samples_locations_with_todays_figures(live: Server) -> None:
    reply = live.get("/api/v1/locations", "ind")
    assert reply.status == 200, reply.text
    rows = {r["code"]: r for r in reply.body["results"]}
    assert len(rows) >= 30
    assert rows["ac-ter-apel"]["kind"] == "application_centre"
    assert rows["dc-rotterdam"]["operator"] == "DJI"
    totals = reply.body["totals"]
    assert totals["places"] == sum(r["places"] for r in rows.values())
    assert totals["occupied"] == sum(r["occupied"] for r in rows.values())
    for r in rows.values():
        assert r["free"] == max(0, r["places"] - r["reserve"] - r["occupied"])


def test_registering_and_changing_capacity_keeps_every_change_with_who_and_why(
    live: Server,
) -> None:
    code = site(live, "coa", "emergency", places=100, reserve=10)
    one = _location(live, code)
    assert one["version"] == 1 and one["places"] == 100 and one["reserve"] == 10
    # A temporary expansion writes its own reduction back to 100 on `until`.
    until = (_today() + timedelta(days=30)).isoformat()
    grown = _capacity(live, code, change="expansion", valid_from=_day(0), places=150, until=until)
    assert grown.status == 201, grown.text
    assert grown.body["places"] == 150 and grown.body["version"] == 2
    assert grown.headers["ETag"] == '"2"'
    history = [(h["change"], h["places"]) for h in grown.body["history"]]
    assert history == [("opening", 100), ("expansion", 150), ("reduction", 100)]
    assert all(h["recorded_by"] == "coa" and h["reason"] == "test" for h in grown.body["history"])
    assert _location(live, code, on=until)["places"] == 100
    # Versions: a stale If-Match is refused with the current one, none at all needs one.
    stale = live.request(
        "POST",
        f"/api/v1/locations/{code}/capacity",
        "coa",
        {"change": "reduction", "valid_from": _day(0), "places": 50, "reason": "x"},
        headers={"If-Match": '"1"'},
    )
    assert stale.status == 409 and stale.headers["ETag"] == '"2"', stale.text
    bare = live.request(
        "POST",
        f"/api/v1/locations/{code}/capacity",
        "coa",
        {"change": "reduction", "valid_from": _day(0), "places": 50, "reason": "x"},
    )
    assert bare.status == 428, bare.text
    # An expansion that does not expand contradicts the register.
    flat = _capacity(live, code, change="expansion", valid_from=_day(0), places=150)
    assert flat.status == 422 and flat.body["field"] == "places", flat.text
    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import Location

    # Named by id: the audit's object reference holds at most 64 characters, a code as many.
    ref = f"location:{Location.objects.get(code=code).pk}"
    names = set(AuditRecord.objects.filter(object_ref=ref).values_list("name", flat=True))
    assert {"location.register", "location.expansion"} <= names
    # The longest code the register takes is registered and audited.
    longest = live.request(
        "POST",
        "/api/v1/locations",
        "coa",
        {
            "code": "l" * 64,
            "name": "langste code",
            "kind": "regular",
            "municipality": "utrecht",
            "province": "utrecht",
            "opened": _day(10),
            "places": 10,
            "reason": "x",
        },
    )
    assert longest.status == 201, longest.text


def test_bounds_and_who_may_write(live: Server) -> None:
    base = {
        "code": "grens-test",
        "name": "x",
        "kind": "regular",
        "municipality": "utrecht",
        "province": "utrecht",
        "opened": "2020-01-01",
        "places": 10,
        "reason": "test",
    }
    for field, value in (
        ("places", 100_001),
        ("places", -1),
        ("code", "Hoofd Letters"),
        ("opened", "1900-01-01"),
        ("name", "x" * 201),
        ("kind", "kasteel"),
    ):
        reply = live.request("POST", "/api/v1/locations", "coa", {**base, field: value})
        assert reply.status == 400 and reply.body["field"] == field, (field, reply.text)
    reserve = live.request("POST", "/api/v1/locations", "coa", {**base, "reserve": 11})
    assert reserve.status == 400 and reserve.body["field"] == "reserve", reserve.text
    # Only an organisation that runs locations of the kind registers one: the COA no detention
    # centre, the IND none at all (no write on location).
    dc = live.request("POST", "/api/v1/locations", "coa", {**base, "kind": "detention_centre"})
    assert dc.status == 403 and dc.body["field"] == "kind", dc.text
    assert live.request("POST", "/api/v1/locations", "ind", base).status == 403
    assert live.get("/api/v1/locations", "iom").status == 403
    # Only its operator changes a location's capacity.
    code = site(live, "coa", "regular")
    theirs = _capacity(live, code, "dji", change="reduction", valid_from=_day(0), places=5)
    assert theirs.status == 403 and theirs.body["field"] == "code", theirs.text
    assert live.get("/api/v1/locations/bestaat-niet", "ind").status == 404


def test_who_stays_is_shown_within_the_readers_scope_and_the_read_is_audited(
    live: Server,
) -> None:
    code = site(live, "coa", "regular")
    person = int(register(live)["id"])
    assert _place(live, person, kind="coa_regular", site=code).status == 201
    assert [p["person"] for p in _location(live, code, "coa")["persons"]] == [person]
    # DJI reads the register but has no grant for this person: the figure, not the person.
    seen_by_dji = _location(live, code, "dji")
    assert seen_by_dji["occupied"] == 1 and seen_by_dji["persons"] == []
    from keten.server.audit.models import AuditRecord

    read = AuditRecord.objects.filter(name="location.read", actor_user="coa").order_by("seq").last()
    assert read is not None and str(person) in str(read.subjects)


def test_every_sample_placement_at_a_site_is_at_one_of_the_right_kind(live: Server) -> None:
    from keten.server.dossiers.models import Placement
    from keten.server.sample_load import SAMPLE_ACCOUNT

    sited = Placement.objects.filter(site__isnull=False, recorded_by=SAMPLE_ACCOUNT)
    assert sited.exists()
    for placement in sited.select_related("site"):
        at = placement.site
        assert at is not None
        assert placement.kind in PLACEMENTS_AT[at.kind], placement.pk
        assert placement.location == at.name
    kinds = set(PLACEMENTS_AT.values())
    assert kinds
    free_text = Placement.objects.filter(site__isnull=True, recorded_by=SAMPLE_ACCOUNT)
    assert set(free_text.values_list("kind", flat=True)) <= {"municipal_housing"}


# -- the pages ---------------------------------------------------------------------------------


def _browser(live: Server, user: str) -> Browser:
    browser = Browser(live.base)
    browser.login(user)
    return browser


def test_the_pages_offer_forms_only_to_who_may_write(live: Server) -> None:
    status, html = _browser(live, "coa").open("/locations")
    assert status == 200 and "Locatieregister" in html and 'id="location-form"' in html
    # The COA registers only the kinds it runs: no detention centre, no GGV offered.
    assert 'value="regular"' in html and 'value="detention_centre"' not in html
    status, html = _browser(live, "ind").open("/locations")
    assert status == 200 and 'id="location-form"' not in html
    assert 'href="/locations/dc-rotterdam"' in html
    status, html = _browser(live, "ind").open("/locations/dc-rotterdam")
    assert status == 200 and 'id="capacity-form"' not in html
    status, html = _browser(live, "dji").open("/locations/dc-rotterdam")
    assert status == 200 and 'id="capacity-form"' in html
    status, _ = _browser(live, "iom").open("/locations")
    assert status == 403


def test_the_dossier_page_shows_the_flags_and_offers_the_own_locations(live: Server) -> None:
    """Seed 001, 4.1: "(max. 7 dagen opvang in bijv. lokale sporthallen)": the dossier page
    marks a crisis stay past seven days, with the source, and a placement over capacity."""
    crisis = site(live, "coa", "crisis", places=1)
    first = int(register(live)["id"])
    late = int(register(live)["id"])
    assert _place(live, first, kind="coa_crisis", site=crisis, start=_day(9)).status == 201
    over = _place(live, late, kind="coa_crisis", site=crisis, start=_day(2), overcapacity=True)
    assert over.status == 201, over.text
    coa = _browser(live, "coa")
    status, html = coa.open(f"/persons/{first}")
    assert status == 200 and 'data-flag="overstay"' in html
    assert "boven het maximum van 7 dagen" in html and "max. 7 dagen" in html
    status, html = coa.open(f"/persons/{late}")
    assert 'data-flag="overcapacity"' in html and "boven capaciteit geplaatst" in html
    # The placement form offers the COA's open locations with their free places, not DJI's.
    assert f'<option value="{crisis}"' in html and 'value="dc-rotterdam"' not in html
