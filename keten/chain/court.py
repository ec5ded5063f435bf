"""The court's procedures in the dossier: which types they are, how each ends, and what the
IND records after one. The vocabulary the appeals service writes (``keten.server.services.
appeals``), the sample generates (``keten.chain.sample``) and the reports count
(``docs/reports.md``, "Appeals in the dossier").

Seed 003 (IND jaarverslag 2012) names the work: "De procesvertegenwoordiging van de IND treedt
namens de Staatssecretaris van Veiligheid en Justitie op in beroepszaken. Het gaat dan onder
andere om verzoeken om een voorlopige voorziening, hoger beroep tegen beslissingen en Habeas
Corpus (bewaringszaken)." and counts "Totaal afgehandelde asielaanvragen (inclusief
beslissingen na gegrond beroep en intrekken beschikking)".
"""

from __future__ import annotations

# The four court procedures. Each but the detention appeal contests a Decision
# (Procedure.contests); a detention appeal names the detention measure in Procedure.subject.
APPEAL = "appeal"
INTERIM_RELIEF = "interim_relief"
HIGHER_APPEAL = "higher_appeal"
DETENTION_APPEAL = "detention_appeal"
COURT_TYPES = (APPEAL, INTERIM_RELIEF, HIGHER_APPEAL, DETENTION_APPEAL)

# The event a court procedure is lodged with (its first event).
OPENING = {
    APPEAL: "lodged",
    INTERIM_RELIEF: "requested",
    HIGHER_APPEAL: "lodged",
    DETENTION_APPEAL: "lodged",
}

# How a court procedure ends: exactly one of these events, on the day it happened. The
# catalogue's main deadline of an appeal is the applicant's filing term (it stops on
# ``lodged``), so Procedure.closed_on is NOT the end of the court case: these events are.
JUDGMENT = "judgment"  # the court's judgment, with a Decision carrying its outcome
WITHDRAWN = "withdrawn"  # the applicant withdrew the appeal: no judgment
DECISION_WITHDRAWN = "decision_withdrawn"  # the IND withdrew the contested decision
ENDINGS = (JUDGMENT, WITHDRAWN, DECISION_WITHDRAWN)

# A judgment's outcome (Decision.outcome on the court procedure's ``judgment`` event).
WELL_FOUNDED = "well_founded"  # gegrond: the IND's decision does not hold
UNFOUNDED = "unfounded"  # ongegrond: the decision holds
INADMISSIBLE = "inadmissible"  # niet-ontvankelijk: the decision holds
JUDGMENT_OUTCOMES = (WELL_FOUNDED, UNFOUNDED, INADMISSIBLE)
# "Instandhouding" (seed 003: "de instandhouding bij de rechter van het door de IND genomen
# besluit op een aanvraag of een bezwaarschrift"): a judgment that leaves the decision standing.
UPHELD = frozenset({UNFOUNDED, INADMISSIBLE})

# The IND's new decision on the ORIGINAL procedure after a well-founded judgment or after it
# withdrew its decision: event ``decided_again`` with data {"after": <court procedure id>}, and
# a Decision on that event. The original ``decided`` event and Decision stay: each decision is
# counted once, on its own day.
DECIDED_AGAIN = "decided_again"

# The outcomes a decision again may have: those of a decision on an application.
DECISION_AGAIN_OUTCOMES = (
    "granted",
    "refused",
    "refused_manifestly_unfounded",
    "inadmissible",
    "other",
)


def follows_up(ending: str, outcome: str | None) -> bool:
    """Whether the IND decides again after a court procedure that ended so: a well-founded
    judgment (the court annulled the decision) or the IND's own withdrawal of it."""
    return ending == DECISION_WITHDRAWN or (ending == JUDGMENT and outcome == WELL_FOUNDED)
