"""Work-queue pages that follow one another by position (``after``, the ``next`` link).

Issue 4: work queues hold "open procedures ordered by deadline and by the Pact's mandatory
priorities (minors and their families first)". A queue changes while it is worked; a page that
starts after the last row shown neither skips nor repeats a row when cases are decided or come
in between two pages, as a page number does.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from tests.server.live import Browser, Server
from tests.server.world import register

TODAY = date.today()


@contextmanager
def rows_in_queue(
    live: Server, team: str, rows: list[tuple[int, date | None]]
) -> Iterator[list[int]]:
    """Open procedures of one person in the IND queue under ``team``, with the given (Pact
    priority, due date); removed afterwards, so other tests see the queue they expect. Set up
    straight in the database: the order depends on the cache columns only."""
    from keten.server.dossiers.models import Person, Procedure

    person = Person.objects.get(pk=_registered(live))
    made = [
        Procedure.objects.create(
            person=person,
            procedure_type="asylum_first",
            queue="ind",
            team=team,
            status="open",
            priority=priority,
            due=due,
        ).pk
        for priority, due in rows
    ]
    try:
        yield made
    finally:
        Procedure.objects.filter(pk__in=made).delete()


def _registered(live: Server) -> int:
    """A newly registered person's id."""
    pid = register(live)["id"]
    assert isinstance(pid, int)
    return pid


def queue_order(ids: list[int]) -> list[int]:
    """The queue's order worked out here from the rows as stored: Pact priority first, then
    the due date (none last), then the procedure's number."""
    from keten.server.dossiers.models import Procedure

    rows = Procedure.objects.filter(pk__in=ids).values_list("priority", "due", "id")
    return [pk for _, _, pk in sorted(rows, key=lambda r: (r[0], r[1] is None, r[1], r[2]))]


def walk(live: Server, user: str, path: str) -> list[int]:
    """Every row's id, following the next links from ``path`` to the end."""
    seen: list[int] = []
    link: str | None = path
    while link:
        reply = live.get(link, user)
        assert reply.status == 200, reply.text
        seen += [r["id"] for r in reply.body["results"]]
        link = reply.body["next"]
        if link:
            assert "after=" in link and "page=" not in link, link
    return seen


# Ties on priority and on due date, rows without a due date in the middle priority, and a
# minor's case (priority 0) stored last.
SHAPES: list[tuple[int, date | None]] = [
    (2, TODAY + timedelta(days=5)),
    (1, None),
    (1, TODAY + timedelta(days=3)),
    (2, None),
    (1, TODAY + timedelta(days=3)),
    (1, None),
    (2, TODAY - timedelta(days=2)),
    (0, TODAY + timedelta(days=30)),
]


def test_pages_by_position_show_every_row_once_in_the_queues_order(live: Server) -> None:
    with rows_in_queue(live, "paging-order", SHAPES) as ids:
        expected = queue_order(ids)
        for size in (1, 2, 3, 8):
            by_position = walk(live, "ind", f"/api/v1/queue?team=paging-order&page_size={size}")
            assert by_position == expected, size
        by_number = []
        for page in range(1, 5):
            reply = live.get(f"/api/v1/queue?team=paging-order&page_size=2&page={page}", "ind")
            by_number += [r["id"] for r in reply.body["results"]]
        assert by_number == expected


def test_a_page_by_position_neither_skips_nor_repeats_when_the_queue_changes(
    live: Server,
) -> None:
    from keten.server.dossiers.models import Procedure

    def ids(path: str) -> list[int]:
        return [r["id"] for r in live.get(path, "ind").body["results"]]

    with rows_in_queue(live, "paging-change", SHAPES) as made:
        expected = queue_order(made)
        page_2 = "/api/v1/queue?team=paging-change&page_size=2&page=2"
        first = live.get("/api/v1/queue?team=paging-change&page_size=2", "ind").body
        assert [r["id"] for r in first["results"]] == expected[:2]
        # A colleague decides the first case shown: counted by number, page 2 now starts a
        # row further on and the officer never sees expected[2].
        Procedure.objects.filter(pk=expected[0]).update(status="decided")
        assert ids(first["next"]) == expected[2:4]
        assert ids(page_2) == expected[3:5]
        Procedure.objects.filter(pk=expected[0]).update(status="open")
        # A minor's case comes in, at the top of the queue: counted by number, page 2 now
        # starts a row back and shows expected[1] again.
        with rows_in_queue(live, "paging-change", [(0, TODAY)]) as (new,):
            assert ids(first["next"]) == expected[2:4]
            assert ids(page_2) == expected[1:3]
            assert new in ids("/api/v1/queue?team=paging-change&page_size=2")


def test_a_granted_roles_queue_pages_by_position_within_its_grants(live: Server) -> None:
    """DTenV sees persons handed over to it; paging by position checks the grant on every
    row it passes, as the page by number does."""
    from keten.server.dossiers.models import AccessGrant, Person, Procedure

    persons = [_registered(live) for _ in range(4)]
    granted = persons[:3]
    for pid in granted:
        AccessGrant.objects.create(
            person_id=pid, organisation_id="DTenV", reason="test", since=TODAY
        )
    made = [
        Procedure.objects.create(
            person=Person.objects.get(pk=pid),
            procedure_type="departure",
            queue="dtenv",
            team="paging-granted",
            status="open",
            priority=2,
            due=TODAY + timedelta(days=i),
        ).pk
        for i, pid in enumerate(persons)
    ]
    try:
        seen = walk(live, "dtenv", "/api/v1/queue?team=paging-granted&page_size=1")
        assert seen == made[:3]  # in due order, and the fourth person's case not at all
    finally:
        Procedure.objects.filter(pk__in=made).delete()
        AccessGrant.objects.filter(person_id__in=granted).delete()


def test_a_position_that_is_not_one_is_refused_naming_the_field(live: Server) -> None:
    for garbage in ("%%%", "bm90LWEtcG9zaXRpb24", "MTp4OjM"):  # "not-a-position", "1:x:3"
        reply = live.get(f"/api/v1/queue?after={urllib.parse.quote(garbage)}", "ind")
        assert reply.status == 400, (garbage, reply.text)
        assert reply.body["field"] == "after"
    with rows_in_queue(live, "paging-bad", SHAPES[:3]):
        first = live.get("/api/v1/queue?team=paging-bad&page_size=1", "ind").body
        after = urllib.parse.parse_qs(urllib.parse.urlparse(first["next"]).query)["after"][0]
        both = live.get(f"/api/v1/queue?team=paging-bad&page=2&after={after}", "ind")
        assert both.status == 400 and both.body["field"] == "page"


def test_the_interface_pages_the_queue_by_position(live: Server) -> None:
    """The work-queue page's next link goes on from the last row shown (50 rows a page), and
    keeps the filter the officer chose."""
    browser = Browser(live.base)
    browser.login("ind")
    start = "/queue?procedure_type=asylum_first"
    _, html = browser.open(start)
    shown_before = _procedure_numbers(html)
    # 51 cases due far ahead: whatever the queue held, they fill a page and spill over.
    far = TODAY + timedelta(days=3650)
    with rows_in_queue(live, "beslissen", [(2, far)] * 51) as ids:
        pages, link = [], start
        while link:
            status, html = browser.open(link)
            assert status == 200
            pages.append(_procedure_numbers(html))
            found = re.search(r'id="queue-next" href="([^"]+)"', html)
            link = "/queue" + found.group(1).replace("&amp;", "&") if found else ""
            assert not link or link.startswith(f"{start}&after="), link
        assert len(pages) >= 2
        listed = [n for page in pages for n in page]
        assert len(listed) == len(set(listed))  # no row twice
        assert set(ids) <= set(listed) and set(shown_before) <= set(listed)


def _procedure_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<span class="muted">#(\d+)</span>', html)]
