"""Queues that work (issue 16, item 2), over HTTP against the live server: filters that keep
the queue's order and paging, assignment to a team member ("mine"), bulk assign and bulk
hand-over (all or nothing, every refusal named), export, and counters that link to exactly
the cases they count.

The expected rows are read from the database through the ORM here, independently of the
queue's SQL (``services/queues.py``, ``services/queue_filters.py``)."""

from __future__ import annotations

import csv
import io
import re
import urllib.parse
import urllib.request
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest

from keten.catalog.loader import load_catalog
from tests.server.live import Browser, Server
from tests.server.world import World, lodge, refuse, register

TODAY = date.today()
OPEN = ("open", "suspended", "not_started")
COLLEAGUE = "ind-collega"  # keten.server.setup.DEMO_USERS: the IND case worker's teammate


def all_rows(
    live: Server, query: str, user: str = "ind", page_size: int = 7
) -> list[dict[str, Any]]:
    """Every row of the filtered queue, following the ``next`` links page by page."""
    path: str | None = f"/api/v1/queue?{query}&page_size={page_size}"
    rows: list[dict[str, Any]] = []
    while path:
        reply = live.get(path, user)
        assert reply.status == 200, reply.text
        rows += reply.body["results"]
        path = reply.body["next"]
        if path:  # the next link carries the filters
            sent = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)
            for key, values in urllib.parse.parse_qs(query).items():
                assert sent.get(key) == values, (key, path)
    return rows


def in_queue_order(ids: list[int]) -> list[int]:
    """The queue's order worked out from the stored rows: Pact priority, then the due day
    (none last), then the procedure's number."""
    from keten.server.dossiers.models import Procedure

    procs = Procedure.objects.filter(pk__in=ids)
    return [
        p.pk for p in sorted(procs, key=lambda p: (p.priority, p.due is None, p.due or TODAY, p.pk))
    ]


def ind_queue() -> Any:
    """The IND case worker's queue as stored: open procedures of queue ind, team beslissen."""
    from keten.server.dossiers.models import Procedure

    return Procedure.objects.filter(queue="ind", team="beslissen", status__in=OPEN)


@pytest.mark.parametrize(
    ("query", "narrow"),
    [
        ("procedure_type=asylum_first", {"procedure_type": "asylum_first"}),
        ("overdue=1", {"due__lt": TODAY}),
        (
            "procedure_type=asylum_first&overdue=1",
            {"procedure_type": "asylum_first", "due__lt": TODAY},
        ),
        ("days_left=30", {"due__gte": TODAY, "due__lte": TODAY + timedelta(days=30)}),
        ("priority=pact", {"priority__lt": 2}),
        ("priority=2", {"priority": 2}),
        ("stage=lodged", {"stage": "lodged"}),
    ],
)
def test_a_filter_lists_exactly_the_matching_cases_in_the_queue_order(
    live: Server, world: World, query: str, narrow: dict[str, Any]
) -> None:
    expected = list(ind_queue().filter(**narrow).values_list("pk", flat=True))
    rows = all_rows(live, query)
    ids = [r["id"] for r in rows]
    assert sorted(ids) == sorted(expected)
    assert ids == in_queue_order(ids)  # filtered, the list keeps the queue's order


def test_a_filtered_list_is_not_empty_where_the_sample_has_cases(
    live: Server, world: World
) -> None:
    """The parametrised filters above are only worth something if they match cases."""
    assert ind_queue().filter(procedure_type="asylum_first", due__lt=TODAY).exists()
    assert ind_queue().filter(priority__lt=2).exists()


@pytest.mark.parametrize(
    ("query", "field", "status", "dutch"),
    [
        ("procedure_type=asiel", "procedure_type", 400, "is geen van"),
        ("stage=besluit_genomen_ooit", "stage", 400, "geen gebeurtenis"),
        ("procedure_type=mvv&stage=aa_started", "stage", 400, "van het type mvv"),
        ("days_left=400", "days_left", 400, ""),
        ("days_left=-1", "days_left", 400, ""),
        ("overdue=misschien", "overdue", 400, "moet 1 (ja) of 0 (nee) zijn"),
        ("priority=urgent", "priority", 400, "is geen van"),
        ("queue=mars", "queue", 400, "is geen van"),
        ("mine=1&unassigned=1", "unassigned", 422, "samen passen ze op geen enkele zaak"),
        ("overdue=1&days_left=7", "days_left", 422, "over de termijn"),
        (f"assignee={'x' * 151}", "assignee", 400, ""),
    ],
)
def test_a_wrong_filter_is_refused_naming_the_field_and_rule_in_dutch(
    live: Server, query: str, field: str, status: int, dutch: str
) -> None:
    reply = live.get(f"/api/v1/queue?{query}", "ind")
    assert reply.status == status, reply.text
    assert reply.body["field"] == field
    assert dutch in reply.body["rule_nl"]
    page = _browser(live, "ind").open(f"/queue?{query}")
    assert page[0] == status
    assert 'class="error-summary"' in page[1]  # the page says so on top, and beside the field


def _browser(live: Server, user: str) -> Browser:
    b = Browser(live.base)
    b.login(user)
    return b


def _pick(n: int, **narrow: Any) -> list[dict[str, int]]:
    """``n`` unassigned open asylum cases of the IND queue, with the version the queue shows."""
    from keten.server.workqueue.models import CurrentAssignment

    taken = CurrentAssignment.objects.exclude(assignee="").values_list("procedure_id", flat=True)
    free = ind_queue().filter(person__isnull=False, **narrow).exclude(pk__in=taken)
    picked = list(free.order_by("pk").values_list("pk", flat=True)[:n])
    assert len(picked) == n
    versions = dict(
        CurrentAssignment.objects.filter(procedure_id__in=picked).values_list(
            "procedure_id", "version"
        )
    )
    return [{"id": pid, "version": versions.get(pid, 0)} for pid in picked]


def test_bulk_assign_to_a_colleague_is_recorded_and_mine_shows_them(
    live: Server, world: World
) -> None:
    """Seed-free rule of the brief: every assignment is a row saying who, when, why, and an
    audit record on the person; the colleague's "mine" lists exactly the cases given."""
    from keten.server.audit.models import AuditRecord
    from keten.server.workqueue.models import Assignment

    team = live.get("/api/v1/queue/team", "ind").body
    members = [m["username"] for m in team["members"]]
    assert team["team"] == "beslissen" and {"ind", COLLEAGUE} <= set(members)
    assert "ind-dublin" not in members and "ind-1f" not in members  # other IND teams
    items = _pick(3)
    ids = [i["id"] for i in items]
    reply = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind",
        {"procedures": items, "assignee": COLLEAGUE, "reason": "verdeling werkvoorraad"},
    )
    assert reply.status == 200, reply.text
    assert sorted(a["procedure"] for a in reply.body["assigned"]) == sorted(ids)
    mine = all_rows(live, "mine=1", COLLEAGUE)
    assert {r["id"] for r in mine} >= set(ids)
    assert all(r["assignee"] == COLLEAGUE for r in mine)
    assert [r["id"] for r in all_rows(live, f"assignee={COLLEAGUE}")] == [r["id"] for r in mine]
    rows = Assignment.objects.filter(procedure_id__in=ids)
    assert {(a.procedure_id, a.assignee, a.recorded_by, a.reason) for a in rows} == {
        (pid, COLLEAGUE, "ind", "verdeling werkvoorraad") for pid in ids
    }
    logged = AuditRecord.objects.filter(name="queue.assign", actor_user="ind")
    refs = set(logged.values_list("object_ref", flat=True))
    assert {f"procedure:{pid}" for pid in ids} <= refs
    # The dossier shows who works the case.
    from keten.server.dossiers.models import Procedure

    person = Procedure.objects.get(pk=ids[0]).person_id
    dossier = live.get(f"/api/v1/persons/{person}/dossier", "ind").body
    shown = {p["id"]: p["assignee"] for p in dossier["procedures"]}
    assert shown[ids[0]] == COLLEAGUE
    assert "ind-collega" in _browser(live, "ind").open(f"/persons/{person}")[1]
    # Released again, they are unassigned: the "unassigned" filter lists them once more.
    again = [{"id": pid, "version": 1} for pid in ids]
    released = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind",
        {"procedures": again, "assignee": "", "reason": "terug"},
    )
    assert released.status == 200, released.text
    assert set(ids) <= {r["id"] for r in all_rows(live, "unassigned=1", page_size=200)}


def test_a_bulk_assign_with_one_refused_case_stores_nothing_and_names_it(
    live: Server, world: World
) -> None:
    from keten.server.workqueue.models import Assignment

    good, stale = _pick(2)
    before = Assignment.objects.count()
    reply = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind",
        {
            "procedures": [good, {"id": stale["id"], "version": stale["version"] + 5}],
            "assignee": COLLEAGUE,
            "reason": "verdeling",
        },
    )
    assert reply.status == 422, reply.text
    assert [(i["procedure"], i["field"]) for i in reply.body["items"]] == [(stale["id"], "version")]
    assert "intussen gewijzigd" in reply.body["items"][0]["rule_nl"]
    assert Assignment.objects.count() == before  # all or nothing


def test_assigning_outside_the_team_a_closed_case_or_without_write_is_refused(
    live: Server, world: World
) -> None:
    (item,) = _pick(1)
    outsider = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind",
        {"procedures": [item], "assignee": "ind-dublin", "reason": "x"},
    )
    assert outsider.status == 422, outsider.text
    assert outsider.body["items"][0]["field"] == "assignee"
    assert "hoort niet bij team beslissen" in outsider.body["items"][0]["rule_nl"]
    # A decided (closed) procedure is worked by nobody.
    person = int(register(live)["id"])
    closed = lodge(live, person, "regular_residence")
    refuse_id = closed["id"]
    from tests.server.world import decide

    decide(live, closed, "refused")
    shut = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind",
        {"procedures": [{"id": refuse_id, "version": 0}], "assignee": COLLEAGUE, "reason": "x"},
    )
    assert shut.status == 422
    assert "afgesloten" in shut.body["items"][0]["rule_nl"]
    # The 1F unit reads procedures but may not write them (policy.yaml).
    no_write = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind-1f",
        {"procedures": [item], "assignee": "", "reason": "x"},
    )
    assert no_write.status == 403
    # The Dublin unit may write procedures, but not of the types the decision team works.
    other_type = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind-dublin",
        {"procedures": [item], "assignee": "", "reason": "x"},
    )
    assert other_type.status == 422
    assert other_type.body["items"][0]["status"] == 403
    too_many = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind",
        {
            "procedures": [{"id": i, "version": 0} for i in range(1, 102)],
            "assignee": "",
            "reason": "x",
        },
    )
    assert too_many.status == 400 and "hoogstens 100" in too_many.body["rule_nl"]
    no_reason = live.request(
        "POST", "/api/v1/queue/assign", "ind", {"procedures": [item], "assignee": COLLEAGUE}
    )
    assert no_reason.status == 400 and no_reason.body["field"] == "reason"


def test_bulk_hand_over_is_all_or_nothing_and_names_the_case_the_table_refuses(
    live: Server, world: World
) -> None:
    """policy.yaml handovers: transfer_file "from: [ind] to: [dtenv] requires: [refused]"."""
    refused_person = int(register(live)["id"])
    refuse(live, refused_person)
    open_of_refused = lodge(live, refused_person, "asylum_subsequent")["id"]
    fine_person = int(register(live)["id"])
    open_of_fine = lodge(live, fine_person, "asylum_first")["id"]
    body = {
        "kind": "transfer_file",
        "to_org": "DTenV",
        "day": TODAY.isoformat(),
        "reason": "overdracht na afwijzing",
    }
    both = [{"id": open_of_refused}, {"id": open_of_fine}]
    reply = live.request("POST", "/api/v1/queue/handover", "ind", {**body, "procedures": both})
    assert reply.status == 422, reply.text
    assert [i["procedure"] for i in reply.body["items"]] == [open_of_fine]
    assert reply.body["items"][0]["field"] == "kind"
    # Nothing stored: DTenV still does not see the refused person.
    assert live.get(f"/api/v1/persons/{refused_person}", "dtenv").status == 404
    one = [{"id": open_of_refused}]
    done = live.request("POST", "/api/v1/queue/handover", "ind", {**body, "procedures": one})
    assert done.status == 200, done.text
    assert done.body["persons"] == 1
    assert live.get(f"/api/v1/persons/{refused_person}", "dtenv").status == 200
    handovers = live.get(f"/api/v1/persons/{refused_person}/dossier", "ind").body["handover"]
    assert [(h["kind"], h["reason"]) for h in handovers] == [("transfer_file", body["reason"])]
    wrong_receiver = live.request(
        "POST", "/api/v1/queue/handover", "ind", {**body, "to_org": "COA", "procedures": one}
    )
    assert wrong_receiver.status == 400 and wrong_receiver.body["field"] == "to_org"


def test_the_export_holds_the_filtered_rows_and_is_audited(live: Server, world: World) -> None:
    from keten.server.audit.models import AuditRecord

    query = "procedure_type=asylum_first&overdue=1"
    rows = all_rows(live, query)
    reply = live.get(f"/api/v1/queue/export?format=csv&{query}", "ind")
    assert reply.status == 200, reply.text
    assert reply.headers["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(reply.text)))
    assert [int(r["procedure"]) for r in table] == [r["id"] for r in rows]
    assert [r["v_nummer"] for r in table] == [r["person"]["v_number"] for r in rows]
    assert set(table[0]) >= {"v_nummer", "naam", "uiterste_datum", "behandelaar"}
    # A reader of the file sees the stage by its name in the catalogue, beside its code.
    events = {e.kind: e.name.nl for e in load_catalog()["asylum_first"].events}
    assert [r["stand_naam"] for r in table] == [events.get(r["stand"], "") for r in table]
    assert any(r["stand_naam"] for r in table)
    last = AuditRecord.objects.filter(name="queue.export", actor_user="ind").order_by("-seq")[0]
    assert {pid for pid, _v in last.subjects} == {r["person"]["id"] for r in rows}
    book = openpyxl.load_workbook(
        io.BytesIO(_raw(live, f"/api/v1/queue/export?format=xlsx&{query}"))
    )
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert [row[0] for row in sheet[1:]] == [r["id"] for r in rows]  # numbers as numbers
    bad = live.get(f"/api/v1/queue/export?format=pdf&{query}", "ind")
    assert bad.status == 400 and bad.body["field"] == "format"


def _raw(live: Server, path: str, user: str = "ind") -> bytes:
    """A binary answer (the XLSX file) as bytes."""
    req = urllib.request.Request(live.base + path)
    req.add_header("Authorization", f"Token {live.tokens[user]}")
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert resp.status == 200
        body: bytes = resp.read()
        return body


def test_an_export_larger_than_the_bound_is_refused(live: Server, world: World) -> None:
    """The bound, shown at a small size through the service layer."""
    from django.contrib.auth import get_user_model

    from keten.server.services import queues
    from keten.server.services.actor import actor_for
    from keten.server.services.errors import BadInputError
    from keten.server.services.queue_filters import QueueFilter

    actor = actor_for(get_user_model().objects.get(username="ind"))
    assert ind_queue().count() > 2
    with pytest.raises(BadInputError) as refused:
        queues.export_queue(actor, TODAY, QueueFilter(), limit=2)
    assert refused.value.field == "filters"
    assert "verfijn het filter" in (refused.value.rule_nl or "")


def test_every_count_of_the_summary_links_to_exactly_its_cases(live: Server, world: World) -> None:
    summary = live.get("/api/v1/queue/summary", "ind").body
    assert summary["overdue"] > 0 and summary["due_14"] >= summary["due_7"]
    for name, query in summary["filters"].items():
        assert len(all_rows(live, query, page_size=200)) == summary[name], name
    page = _browser(live, "ind").open("/queue/summary")[1]
    assert f'href="/queue?{summary["filters"]["overdue"].replace("&", "&amp;")}"' in page


@pytest.mark.parametrize("user", ["ind", "coa", "dtenv", "gemeente-utrecht"])
def test_every_count_of_the_dashboard_links_to_exactly_its_cases(
    live: Server, world: World, user: str
) -> None:
    board = live.get("/api/v1/dashboard", user).body
    checked = 0
    for row in board["procedures"]:
        for key, query in row["filters"].items():
            count = row["missed"] if key == "missed" else row["by_status"].get(key, 0)
            assert len(all_rows(live, query, user, page_size=200)) == count, (row, key)
            checked += 1
    for key, query in board["filters"].items():
        assert len(all_rows(live, query, user, page_size=200)) == board[key], key
    assert checked > 0


def test_the_assignment_history_refuses_change_in_the_database_too(
    live: Server, world: World
) -> None:
    """workqueue 0002: who was given a case, by whom and why, is not rewritten afterwards,
    not by raw SQL either (like the dossier's tables, dossiers 0002)."""
    from django.db import DatabaseError, connection, transaction

    from keten.server.workqueue.models import Assignment

    items = _pick(1)
    assigned = live.request(
        "POST",
        "/api/v1/queue/assign",
        "ind",
        {"procedures": items, "assignee": COLLEAGUE, "reason": "history"},
    )
    assert assigned.status == 200, assigned.text
    row = Assignment.objects.filter(procedure_id=items[0]["id"]).latest("id")
    for sql in (
        "UPDATE workqueue_assignment SET assignee = 'iemand' WHERE id = %s",
        "DELETE FROM workqueue_assignment WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [row.pk])
    assert Assignment.objects.get(pk=row.pk).assignee == COLLEAGUE


def test_the_page_offers_bulk_actions_only_to_a_role_that_may_take_them(
    live: Server, world: World
) -> None:
    """The 1F unit reads the decision team's queue (procedure: read) but writes no
    procedure and sends no hand-over (policy.yaml): no checkboxes, no bulk forms."""
    worker = _browser(live, "ind").open("/queue")[1]
    assert 'name="selected"' in worker and 'id="bulk-assign"' in worker
    assert 'id="bulk-handover"' in worker  # the IND sends hand-overs (policy.yaml handovers)
    reader = _browser(live, "ind-1f").open("/queue?team=beslissen")[1]
    assert 'id="queue"' in reader and "data-procedure=" in reader
    assert 'name="selected"' not in reader and 'id="bulk-assign"' not in reader
    assert 'id="bulk-handover"' not in reader


def test_the_next_page_link_on_the_page_carries_the_filters(live: Server, world: World) -> None:
    """Fifty-five overdue cases under a team of their own, and a few not overdue: the page's
    next link goes on after the fiftieth, with the team and the filter."""
    from keten.server.services.queues import Position
    from tests.server.test_queue_paging import rows_in_queue

    late = [(2, TODAY - timedelta(days=n + 1)) for n in range(55)]
    with rows_in_queue(live, "filterpaging", [*late, (2, TODAY + timedelta(days=3))]) as made:
        html = _browser(live, "ind").open("/queue?team=filterpaging&overdue=1")[1]
        shown = [int(x) for x in re.findall(r'<tr id="row-(\d+)"', html)]
        overdue = made[:55]
        assert shown == in_queue_order(overdue)[:50]
        after = in_queue_order(overdue)[49]
        due = TODAY - timedelta(days=overdue.index(after) + 1)
        link = f"?team=filterpaging&amp;overdue=1&amp;after={Position(2, due, after).encode()}"
        assert f'href="{link}"' in html
        rest = _browser(live, "ind").open("/queue" + link.replace("&amp;", "&"))[1]
        assert [int(x) for x in re.findall(r'<tr id="row-(\d+)"', rest)] == in_queue_order(overdue)[
            50:
        ]


def test_the_page_hands_over_the_selected_cases_persons_with_one_choice_of_kind_and_receiver(
    live: Server, world: World
) -> None:
    person = int(register(live)["id"])
    refuse(live, person)
    case = lodge(live, person, "asylum_subsequent")["id"]
    b = _browser(live, "ind")
    page = b.open("/queue")[1]
    assert '<option value="transfer_file:DTenV"' in page  # from the hand-over table
    assert '<option value="transfer_file:COA"' not in page
    status, html = b.open(
        "/queue/handover",
        {
            "selected": f"{case}:0",
            "target": "transfer_file:DTenV",
            "day": TODAY.isoformat(),
            "handover_reason": "overdracht na afwijzing",
            "back": "procedure_type=asylum_subsequent",
        },
    )
    assert status == 200, html[:500]
    assert "1 persoon overgedragen aan DTenV" in html  # followed the redirect to the queue
    assert live.get(f"/api/v1/persons/{person}", "dtenv").status == 200
    status, html = b.open(
        "/queue/handover",
        {"selected": f"{case}:0", "target": "transfer_file:DTenV", "day": TODAY.isoformat()},
    )
    assert status == 400 and 'class="error-summary"' in html and "reason" in html
