"""The monthly chains of ``tests/reports/monthly_chain.py`` written with the ORM into the
database the live server reads: procedures with their cache columns as given, their events,
and a withdrawal for each event marked withdrawn (the service layer that writes them is tested
elsewhere; here the rows are the fixture)."""

from __future__ import annotations

from tests.reports.monthly_chain import Spec

RECORDED = {
    "recorded_by": "monthly-test",
    "recorded_org": "IND",
    "recorded_role": "ind_case_worker",
    "reason": "monthly fixture",
}


def write(specs: list[Spec]) -> list[int]:
    """The procedures' ids, in the order of ``specs``."""
    from django.db import transaction

    from keten.server.dossiers.models import Person, Procedure, ProcedureEvent, Withdrawal

    # A withdrawal names the person of the record; the fixture's procedures have none, so the
    # sample's first person stands in (the monthly figures never read it).
    someone = Person.objects.order_by("pk").first()
    assert someone is not None, "the live server's database holds the sample"
    ids: list[int] = []
    with transaction.atomic():
        for s in specs:
            p = Procedure.objects.create(
                procedure_type=s.procedure_type,
                queue=s.organisation,
                team=s.team,
                started_on=s.started_on,
                closed_on=s.closed_on,
                due=s.due,
                status=s.status,
                dwangsom_first_day=s.dwangsom_first_day,
                dwangsom_last_day=s.dwangsom_last_day,
            )
            ids.append(p.pk)
            for kind, day, withdrawn in s.events:
                e = ProcedureEvent.objects.create(procedure=p, kind=kind, day=day, **RECORDED)
                if withdrawn:
                    Withdrawal.objects.create(
                        resource="event", record_id=e.pk, person=someone, **RECORDED
                    )
    return ids
