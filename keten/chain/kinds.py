"""The chain's vocabularies: residence documents, measures, placements, hand-overs, decisions.

Each has a Dutch name (first) and an English one, and where a seed document names it, the seed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    id: str
    nl: str
    en: str
    source: str = ""


def _index(*kinds: Kind) -> dict[str, Kind]:
    return {k.id: k for k in kinds}


SEED_003 = "003_b35db6433f6e3094.txt"
SEED_004 = "004_cbc7489b66a820d5.txt"
SEED_001 = "001_7423ba70eed50d30.txt"

# The document types of the IND annual report 2012 (seed 003, "Documenten").
DOCUMENT_TYPES = _index(
    Kind(
        "vvr_bepaald",
        "Verblijfsvergunning regulier bepaalde tijd",
        "Regular residence permit, fixed term",
        SEED_003,
    ),
    Kind(
        "vvr_onbepaald",
        "Verblijfsvergunning regulier onbepaalde tijd",
        "Regular residence permit, permanent",
        SEED_003,
    ),
    Kind(
        "vva_bepaald",
        "Verblijfsvergunning asiel bepaalde tijd",
        "Asylum residence permit, fixed term",
        SEED_003,
    ),
    Kind(
        "vva_onbepaald",
        "Verblijfsvergunning asiel onbepaalde tijd",
        "Asylum residence permit, permanent",
        SEED_003,
    ),
    Kind(
        "gemeenschapsonderdaan",
        "Verblijfsvergunning voor gemeenschapsonderdaan",
        "Residence document for an EU/EEA/Swiss national",
        SEED_003,
    ),
    Kind("w_document", "W-document", "W-document (awaiting an asylum decision)", SEED_003),
    Kind("w2_document", "W2-document", "W2-document", SEED_003),
)

MEASURE_TYPES = _index(
    Kind("reporting_duty", "Meldplicht (art. 54 Vw)", "Reporting duty (Aliens Act art. 54)"),
    Kind(
        "freedom_restriction",
        "Vrijheidsbeperkende maatregel (art. 56 Vw)",
        "Freedom-restricting measure (art. 56)",
    ),
    Kind(
        "detention", "Bewaring (art. 59 e.v. Vw)", "Immigration detention (art. 59 ff.)", SEED_004
    ),
)

PLACEMENT_TYPES = _index(
    Kind("coa_regular", "COA reguliere opvang (azc)", "COA regular reception (azc)", SEED_001),
    Kind("coa_emergency", "COA noodopvang", "COA emergency reception", SEED_001),
    Kind(
        "coa_crisis",
        "Crisisnoodopvang (max. 7 dagen)",
        "Crisis emergency reception (max 7 days)",
        SEED_001,
    ),
    Kind("coa_minors", "COA minderjarigenopvang", "COA reception for minors", SEED_004),
    Kind(
        "nidos_family",
        "Nidos opvanggezin / kleinschalige woonvoorziening",
        "Nidos foster family / small-scale unit",
    ),
    Kind(
        "ggv",
        "Gesloten gezinsvoorziening (GGV) Zeist",
        "Closed family facility (GGV) Zeist",
        SEED_004,
    ),
    Kind("detention_centre", "Detentiecentrum (DJI)", "Detention centre (DJI)"),
    # Seed 004 (Vc A5/2.4): the border guard "plaatst de vreemdeling ten spoedigste ... in AC
    # Schiphol", the application centre "gevestigd in het Justitieel Complex Schiphol".
    Kind(
        "border_detention",
        "Grenslocatie Schiphol (vrijheidsontnemende maatregel art. 6 Vw)",
        "Border location Schiphol (deprivation of liberty, Aliens Act art. 6)",
        SEED_004,
    ),
    Kind(
        "municipal_housing",
        "Huisvesting gemeente (vergunninghouder)",
        "Municipal housing (permit holder)",
        SEED_001,
    ),
)

# Hand-overs between organisations: the transfer file IND -> DTenV after a refusal, the
# overdrachtsdossier KMar/DISA -> DTenV (Vc A5/2.4, seed 004), COA's match with a municipality.
HANDOVER_TYPES = _index(
    Kind(
        "transfer_file",
        "Overdrachtsdossier na afwijzing (IND → DTenV)",
        "Transfer file after a refusal (IND → DTenV)",
    ),
    Kind(
        "overdrachtsdossier_amv",
        "Overdrachtsdossier amv zonder asielaanvraag (KMar/DISA → DTenV, Vc A5/2.4)",
        "Hand-over file for an unaccompanied minor without an asylum application (Vc A5/2.4)",
        SEED_004,
    ),
    Kind(
        "housing_match",
        "Koppeling vergunninghouder aan gemeente (COA → gemeente)",
        "Permit holder matched to a municipality (COA → municipality)",
        SEED_001,
    ),
    Kind(
        "rean_referral",
        "Aanmelding vrijwillig vertrek (REAN, → IOM)",
        "Referral for voluntary return (REAN, → IOM)",
        SEED_004,
    ),
    Kind(
        "guardianship", "Voogdij amv (→ Nidos)", "Guardianship of an unaccompanied minor (→ Nidos)"
    ),
    Kind("detention_order", "Plaatsing in bewaring (→ DJI)", "Placement in detention (→ DJI)"),
)

DECISION_OUTCOMES = _index(
    Kind("granted", "ingewilligd", "granted"),
    Kind("refused", "afgewezen", "refused"),
    Kind(
        "refused_manifestly_unfounded",
        "afgewezen als kennelijk ongegrond",
        "refused as manifestly unfounded",
    ),
    Kind("inadmissible", "niet-ontvankelijk", "inadmissible"),
    Kind("well_founded", "gegrond", "well-founded"),
    Kind("unfounded", "ongegrond", "unfounded"),
    Kind("other", "anders", "other"),
)

# Which decisions must state their legal ground. Awb art. 3:46: "Een besluit dient te berusten
# op een deugdelijke motivering." Art. 3:48 lid 1 lets the reasons go "indien redelijkerwijs
# kan worden aangenomen dat daaraan geen behoefte bestaat": a decision that grants what was
# asked. A decision on an objection states its reasons whatever its outcome (art. 7:12 lid 1:
# "De beslissing op het bezwaar dient te berusten op een deugdelijke motivering, die bij de
# bekendmaking van de beslissing wordt vermeld").
OUTCOMES_WITHOUT_REASONS = frozenset({"granted"})
ALWAYS_REASONED = frozenset({"objection"})
REASONS_CITATION = "Awb art. 3:46, 3:48 lid 1, 7:12 lid 1"


def reasons_required(procedure_type: str, outcome: str) -> bool:
    """Whether a decision with ``outcome`` on ``procedure_type`` must state its grounds."""
    return procedure_type in ALWAYS_REASONED or outcome not in OUTCOMES_WITHOUT_REASONS
