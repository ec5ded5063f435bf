"""The court's procedures on the dossier page (``services/appeals.py``): beside each decision
"Beroep instellen" for the roles that lodge court procedures (IND procesvertegenwoordiging),
on a court procedure the decision it contests and the form for the court's outcome, on the
original procedure its appeals and the form for the decision again. Plain forms that post and
return to the dossier; a refusal shows the dossier with the reason, like its other forms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from keten.chain import court
from keten.server.services import appeals, scope
from keten.server.services.actor import Actor
from keten.server.services.errors import ServiceError
from keten.server.ui.views import _dossier_error, _on, _post_data, _version, with_actor


def _person_of(actor: Actor, procedure_id: int) -> int:
    proc = scope.procedure(actor, procedure_id)
    assert proc.person_id is not None  # a court procedure is a person's
    return int(proc.person_id)


@require_POST
@with_actor
def lodge(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    try:
        made = appeals.lodge(actor, person_id, _post_data(request), _version(request), _on(request))
    except ServiceError as exc:
        return _dossier_error(request, actor, person_id, exc)
    return HttpResponseRedirect(f"/persons/{person_id}#proc-{made['id']}")


@require_POST
@with_actor
def outcome(request: HttpRequest, actor: Actor, procedure_id: int) -> HttpResponse:
    person_id = _person_of(actor, procedure_id)
    data = _post_data(request)
    if data.get("ending") != court.JUDGMENT:
        data.pop("outcome", None)  # the form sends the select whatever the ending
    try:
        appeals.record_outcome(actor, procedure_id, data, _version(request), _on(request))
    except ServiceError as exc:
        return _dossier_error(request, actor, person_id, exc)
    return HttpResponseRedirect(f"/persons/{person_id}#proc-{procedure_id}")


@require_POST
@with_actor
def decide_again(request: HttpRequest, actor: Actor, procedure_id: int) -> HttpResponse:
    person_id = _person_of(actor, procedure_id)
    try:
        appeals.decide_again(
            actor, procedure_id, _post_data(request), _version(request), _on(request)
        )
    except ServiceError as exc:
        return _dossier_error(request, actor, person_id, exc)
    return HttpResponseRedirect(f"/persons/{person_id}#proc-{procedure_id}")
