"""A family with minor children, read from the dossier's parent links.

Seed 004 (Vc A5/2.4): "ten minste één ouder of een wettelijk verzorger die in de voogdij
voorziet, die samen met één of meer minderjarige kinderen feitelijk een gezin vormt". Parent links
only: a partner alone is no family with minors. Who may be placed at a family location or the GGV
(``locations.place``) and the detention group the dossier proposes (``procedure_facts.proposed``)
both ask it here. Occupancy asks the same of every resident at once, in SQL
(``occupancy_sql``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from keten.chain.identity import PartialDate, is_minor
from keten.server.dossiers.models import FamilyLink, Person


def is_minor_on(birth_date: str, on: date) -> bool:
    """A stored birth date that cannot be read counts as no minor (the registration refuses
    such dates; this guards rows entered before it did)."""
    try:
        return is_minor(PartialDate.parse(birth_date), on)
    except ValueError:
        return False


def minor_in_family(
    p: Person, on: date, visible: Callable[[int], bool] = lambda _pk: True
) -> Person | None:
    """The minor that makes ``p`` part of a family with minors on ``on``: a minor child of
    ``p`` (the first linked), or ``p`` itself when a minor with a parent. ``visible``: whether
    the asker may see a person by id; a member it may not see does not count, so that an
    answer never reveals a hidden child. None when there is no such family."""
    links = FamilyLink.objects.filter(relation="parent").select_related(
        "parent_or_partner", "other"
    )
    for link in links.filter(parent_or_partner=p).order_by("id"):
        if is_minor_on(link.other.birth_date, on) and visible(link.other_id):
            return link.other
    if is_minor_on(p.birth_date, on):
        for link in links.filter(other=p).order_by("id"):
            if visible(link.parent_or_partner_id):
                return p
    return None
