"""The IND annual figures (seed 003, IND jaarverslag 2012) for any year against the year before,
in the seed's sections and rows, over ``keten.reports.frames.Frames``.

Only the IND's products: its applications (mvv, regular residence, asylum, nareis,
naturalisation), the court cases its procesvertegenwoordiging conducts, its complaints and
notices of default, and the documents it issues. Rows the seed has and Keten holds no records
for (short-stay visa, Caribbean Netherlands) are shown as not registered, never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from keten.reports import counting, rounding
from keten.reports.counting import Share, Top, Value
from keten.reports.frames import Frames
from keten.reports.model import Figure, Report, Section
from keten.reports.targets import Target, target

SEED = "003_b35db6433f6e3094.txt"
EARLIEST_YEAR = 2001  # Vw 2000 in force 1 April 2001: no procedure in the catalogue is older
MAX_YEARS_AHEAD = 0  # a year not yet begun has no figures

MVV = ("mvv",)
VVR = ("regular_residence",)
ASYLUM_FIRST = ("asylum_first",)
ASYLUM_SUBSEQUENT = ("asylum_subsequent",)
ASYLUM = ASYLUM_FIRST + ASYLUM_SUBSEQUENT
# Applications and objections of the regular directorates (seed 003: "te beslissen op
# aanvragen of bezwaarschriften"; objections are the regular procedures' only ones).
REGULAR = ("mvv", "regular_residence", "objection")
NATURALISATION = ("naturalisation",)
COURT_TYPES = counting.COURT.types
COMPLAINT = ("complaint",)
# Every IND procedure with a notice-of-default event in the catalogue.
DWANGSOM_TYPES = (
    "mvv",
    "regular_residence",
    "asylum_first",
    "asylum_subsequent",
    "nareis",
    "naturalisation",
    "objection",
    "recognised_sponsor",
    "wobka_adoption",
)
DOCUMENT_KINDS = (
    ("vvr_bepaald", "Verblijfsvergunning regulier bepaalde tijd", "Regular permit, fixed term"),
    ("vvr_onbepaald", "Verblijfsvergunning regulier onbepaalde tijd", "Regular permit, permanent"),
    ("vva_bepaald", "Verblijfsvergunning asiel bepaalde tijd", "Asylum permit, fixed term"),
    ("vva_onbepaald", "Verblijfsvergunning asiel onbepaalde tijd", "Asylum permit, permanent"),
    (
        "gemeenschapsonderdaan",
        "Verblijfsvergunning voor gemeenschapsonderdaan",
        "Residence document for an EU/EEA/Swiss national",
    ),
    ("w_document", "W-document", "W-document"),
    ("w2_document", "W2-document", "W2-document"),
)


def _q(text: str) -> str:
    return f"{SEED}: “{text}”"


def _intake(fid: str, nl: str, en: str, types: tuple[str, ...], quote: str, **kw: Any) -> Figure:
    return Figure(
        fid,
        nl,
        en,
        "intake",
        {"types": types},
        counts_nl=f"procedures ({', '.join(types)}) ontvangen in het jaar",
        counts_en=f"procedures ({', '.join(types)}) received in the year",
        source=_q(quote),
        **kw,
    )


def _handled(fid: str, nl: str, en: str, types: tuple[str, ...], quote: str, **kw: Any) -> Figure:
    return Figure(
        fid,
        nl,
        en,
        "handled",
        {"types": types},
        counts_nl=f"procedures ({', '.join(types)}) afgehandeld in het jaar (besluit of "
        "intrekking; bij de rechter: uitspraak of intrekking)",
        counts_en=f"procedures ({', '.join(types)}) handled in the year (decision or "
        "withdrawal; in court: judgment or withdrawal)",
        source=_q(quote),
        **kw,
    )


_REGULAR_Q = "In totaal zijn er 45.750 mvv-aanvragen afgehandeld."
_ASYLUM_Q = "In 2012 is het aantal eerste asielaanvragen gedaald van 11.600 naar 9.800 aanvragen."
_COURT_Q = (
    "Het gaat dan onder andere om verzoeken om een voorlopige voorziening, hoger beroep tegen "
    "beslissingen en Habeas Corpus (bewaringszaken)."
)
_NOT_REGISTERED_NL = "niet geregistreerd in Keten"

ANNUAL = Report(
    id="ind_annual",
    nl="IND-jaarcijfers",
    en="IND annual figures",
    source=SEED,
    sections=(
        Section(
            "regular",
            "Regulier verblijf",
            "Regular residence",
            (
                _intake("mvv_intake", "Aanvragen mvv", "mvv applications", MVV, _REGULAR_Q),
                _handled("mvv_handled", "Beslissingen mvv", "mvv decisions", MVV, _REGULAR_Q),
                _intake(
                    "vvr_intake",
                    "Aanvragen vvr",
                    "Residence permit applications",
                    VVR,
                    "In 2012 zijn verder 58.500 aanvragen voor een reguliere verblijfsvergunning "
                    "(vvr) bij de IND binnengekomen.",
                ),
                _handled(
                    "vvr_handled",
                    "Beslissingen vvr",
                    "Residence permit decisions",
                    VVR,
                    "Het aantal afgehandelde vvr-aanvragen is licht toegenomen.",
                ),
                Figure(
                    "visa_intake",
                    "Aanvragen visum kort verblijf",
                    "Short-stay visa applications",
                    "not_registered",
                    shape="not_registered",
                    counts_nl="Keten kent (nog) geen procedure voor visum kort verblijf",
                    counts_en="Keten has no short-stay visa procedure (yet)",
                    source=_q("Aanvragen visum kort verblijf"),
                ),
                Figure(
                    "visa_handled",
                    "Beslissingen visum kort verblijf",
                    "Short-stay visa decisions",
                    "not_registered",
                    shape="not_registered",
                    counts_nl="Keten kent (nog) geen procedure voor visum kort verblijf",
                    counts_en="Keten has no short-stay visa procedure (yet)",
                    source=_q("Beslissingen visum kort verblijf"),
                ),
            ),
            note_nl="De cijfers zijn afgerond op 50-tallen; de verschilpercentages zijn "
            "berekend met de onafgeronde cijfers.",
            note_en="Figures are rounded to 50; the differences are computed on the unrounded "
            "figures.",
        ),
        Section(
            "asylum",
            "Asiel",
            "Asylum",
            (
                _intake(
                    "asylum_first_intake",
                    "Eerste aanvragen",
                    "First applications",
                    ASYLUM_FIRST,
                    _ASYLUM_Q,
                ),
                _intake(
                    "asylum_subsequent_intake",
                    "Tweede en volgende aanvragen",
                    "Second and subsequent applications",
                    ASYLUM_SUBSEQUENT,
                    "Het aantal tweede of opvolgende asielaanvragen steeg van 3.050 naar 3.800 "
                    "aanvragen",
                ),
                _intake(
                    "asylum_intake",
                    "Totaal aanbod asielaanvragen",
                    "Total asylum applications",
                    ASYLUM,
                    "Totaal aanbod asielaanvragen",
                ),
                Figure(
                    "asylum_handled",
                    "Totaal afgehandelde asielaanvragen (inclusief beslissingen na gegrond "
                    "beroep en intrekken beschikking)",
                    "Total asylum applications handled (including decisions after a "
                    "well-founded appeal and withdrawn decisions)",
                    "handled_incl_court",
                    {"types": ASYLUM},
                    counts_nl="eerste en volgende asielaanvragen afgehandeld in het jaar, plus "
                    "de besluiten na een gegrond beroep en de door de IND ingetrokken besluiten "
                    "in het jaar, elk één keer",
                    counts_en="first and subsequent asylum applications handled in the year, "
                    "plus the decisions after a well-founded appeal and the decisions the IND "
                    "withdrew in the year, each once",
                    source=_q(
                        "Totaal afgehandelde asielaanvragen (inclusief beslissingen na gegrond "
                        "beroep en intrekken beschikking)"
                    ),
                ),
                _handled(
                    "asylum_follow_up_handled",
                    "Totaal afgehandelde aanvragen Asiel vervolg",
                    "Asylum follow-up applications handled",
                    ("nareis",),
                    "Totaal afgehandelde aanvragen Asiel vervolg",
                    uncertain="the seed does not say what 'Asiel vervolg' holds; at the IND it "
                    "names the applications that follow an asylum permit (nareis of family "
                    "members, the permanent asylum permit, extension). Keten holds only nareis "
                    "as a procedure, so the row counts nareis applications handled.",
                    uncertain_nl="de bron zegt niet wat 'Asiel vervolg' omvat; bij de IND zijn "
                    "het de aanvragen die op een asielvergunning volgen (nareis van gezinsleden, "
                    "de vergunning voor onbepaalde tijd, verlenging). Keten kent alleen nareis "
                    "als procedure, dus de rij telt de afgehandelde nareisaanvragen.",
                ),
            ),
        ),
        Section(
            "litigation",
            "Procesvertegenwoordiging",
            "Litigation",
            (
                _intake(
                    "court_intake",
                    "Aanbod beroepszaken",
                    "Court cases received",
                    COURT_TYPES,
                    "Aanbod beroepszaken",
                ),
                _handled(
                    "court_handled",
                    "Afgehandelde beroepszaken",
                    "Court cases handled",
                    COURT_TYPES,
                    "Afgehandelde beroepszaken",
                ),
                _intake(
                    "appeal_intake", "waarvan beroep", "of which appeals", ("appeal",), _COURT_Q
                ),
                _intake(
                    "interim_relief_intake",
                    "waarvan voorlopige voorziening",
                    "of which interim relief",
                    ("interim_relief",),
                    _COURT_Q,
                ),
                _intake(
                    "higher_appeal_intake",
                    "waarvan hoger beroep",
                    "of which higher appeals",
                    ("higher_appeal",),
                    _COURT_Q,
                ),
                _intake(
                    "habeas_corpus_intake",
                    "waarvan Habeas Corpus (bewaringszaken)",
                    "of which habeas corpus (detention appeals)",
                    ("detention_appeal",),
                    _COURT_Q,
                ),
                _handled(
                    "habeas_corpus_handled",
                    "Afgehandelde Habeas Corpus-zaken",
                    "Habeas corpus cases handled",
                    ("detention_appeal",),
                    _COURT_Q,
                ),
            ),
        ),
        Section(
            "documents",
            "Documenten",
            "Documents",
            (
                *(
                    Figure(
                        f"documents_{kind}",
                        nl,
                        en,
                        "documents",
                        {"kinds": (kind,)},
                        counts_nl=f"documenten van soort {kind} verstrekt in het jaar",
                        counts_en=f"documents of kind {kind} issued in the year",
                        source=_q(nl),
                    )
                    for kind, nl, en in DOCUMENT_KINDS
                ),
                Figure(
                    "documents_total",
                    "Totaal",
                    "Total",
                    "documents",
                    {"kinds": tuple(k for k, _, _ in DOCUMENT_KINDS)},
                    counts_nl="alle bovenstaande documenten verstrekt in het jaar",
                    counts_en="all documents above issued in the year",
                    source=_q(
                        "De IND heeft in 2012 iets meer verblijfsdocumenten verstrekt dan in 2011."
                    ),
                ),
            ),
            layout="year_no_diff",
        ),
        Section(
            "naturalisation",
            "Naturalisatie",
            "Naturalisation",
            (
                _intake(
                    "naturalisation_intake",
                    "Aanbod verzoeken",
                    "Requests received",
                    NATURALISATION,
                    "Het aantal verzoeken om naturalisatie tot het Nederlanderschap is in 2012 "
                    "gestegen van 26.300 naar 28.900.",
                ),
                _handled(
                    "naturalisation_handled",
                    "Afgehandelde verzoeken",
                    "Requests handled",
                    NATURALISATION,
                    "Het aantal afgehandelde verzoeken is eveneens sterk gestegen.",
                ),
            ),
        ),
        Section(
            "complaints",
            "Klachten",
            "Complaints",
            (
                _intake(
                    "complaints_intake",
                    "Aanbod klachten",
                    "Complaints received",
                    COMPLAINT,
                    "In 2012 is het absolute aantal klachten ten opzichte van 2011 gestegen van "
                    "4.440 naar 4.750.",
                    shape="count",
                ),
                Figure(
                    "complaints_on_time",
                    "Tijdige afhandeling klachten",
                    "Complaints handled on time",
                    "within_term",
                    {"types": COMPLAINT},
                    shape="share",
                    target="complaints.on_time",
                    counts_nl="van de klachten afgehandeld in het jaar, het deel binnen de "
                    "termijn (zes weken, Awb 9:11, met verdaging)",
                    counts_en="of the complaints handled in the year, the share within the term "
                    "(six weeks, Awb 9:11, postponement included)",
                    source=_q(
                        "Van de behandelde klachten is 83% binnen de wettelijke termijn van zes "
                        "weken afgedaan."
                    ),
                ),
            ),
            layout="year_no_diff",
        ),
        Section(
            "within_term",
            "Doorlooptijden",
            "Decided within the term",
            tuple(
                Figure(
                    f"within_term_{key}",
                    nl,
                    en,
                    "within_term",
                    {"types": types},
                    shape="share",
                    target=f"within_term.{key}",
                    counts_nl=f"van de procedures ({', '.join(types)}) afgehandeld in het jaar, "
                    "het deel op of vóór de uiterste beslisdatum (verlengingen meegeteld)",
                    counts_en=f"of the procedures ({', '.join(types)}) handled in the year, the "
                    "share on or before the due day (extensions included)",
                    source=_q(
                        "De IND streeft ernaar om tijdig (binnen de wettelijke of met de "
                        "vreemdeling afgesproken termijn) te beslissen op aanvragen of "
                        "bezwaarschriften."
                    ),
                )
                for key, nl, en, types in (
                    ("asylum", "Asiel", "Asylum", ASYLUM),
                    ("regular", "Regulier", "Regular", REGULAR),
                    ("naturalisation", "Naturalisatie", "Naturalisation", NATURALISATION),
                )
            ),
            layout="target",
        ),
        Section(
            "upheld",
            "Instandhouding beslissing",
            "Decisions upheld in court",
            tuple(
                Figure(
                    f"upheld_{key}",
                    nl,
                    en,
                    "upheld",
                    {"types": types},
                    shape="share",
                    target=f"upheld.{key}",
                    counts_nl="van de uitspraken in het jaar op beroepen tegen besluiten "
                    f"({', '.join(types)}), het deel dat het beroep niet gegrond verklaarde",
                    counts_en="of the judgments in the year on appeals against decisions "
                    f"({', '.join(types)}), the share that did not find the appeal well-founded",
                    source=_q(
                        "Een graadmeter van de kwaliteit van een beslissing is de instandhouding "
                        "bij de rechter van het door de IND genomen besluit op een aanvraag of "
                        "een bezwaarschrift."
                    ),
                )
                for key, nl, en, types in (
                    ("asylum", "Asiel", "Asylum", ASYLUM),
                    ("regular", "Regulier", "Regular", REGULAR),
                )
            ),
            layout="target",
        ),
        Section(
            "dwangsom",
            "Ingebrekestellingen en dwangsom",
            "Notices of default and dwangsom",
            (
                Figure(
                    "notices_lodged",
                    "Ingediende ingebrekestellingen",
                    "Notices of default received",
                    "notices_lodged",
                    {"types": DWANGSOM_TYPES},
                    shape="count",
                    counts_nl="ingebrekestellingen ontvangen in het jaar",
                    counts_en="notices of default received in the year",
                    source=_q(
                        "Het aantal ingebrekestellingen dat in 2012 is ingediend bedroeg 3.819."
                    ),
                ),
                Figure(
                    "notices_handled",
                    "Afgehandelde ingebrekestellingen",
                    "Notices of default handled",
                    "notices_handled",
                    {"types": DWANGSOM_TYPES},
                    shape="count",
                    counts_nl="ingebrekestellingen afgedaan doordat in het jaar op de aanvraag "
                    "werd beslist",
                    counts_en="notices of default answered by the decision taken in the year",
                    source=_q("In 2012 zijn 3.806 ingebrekestellingen afgehandeld."),
                ),
                Figure(
                    "dwangsom_runs",
                    "Aanvragen waarop een dwangsom liep",
                    "Applications on which a dwangsom ran",
                    "dwangsom_runs",
                    {"types": DWANGSOM_TYPES},
                    shape="count",
                    counts_nl="aanvragen waarop in het jaar ten minste één dag een dwangsom "
                    "liep (Awb 4:17)",
                    counts_en="applications on which a dwangsom ran on at least one day of the "
                    "year (Awb 4:17)",
                    source=_q(
                        "Sinds 1 oktober 2012 geldt er een automatische dwangsomregeling voor "
                        "visum-aanvragen, mvv-aanvragen, aanvragen om een verblijfsvergunning "
                        "(asiel en regulier) en bezwaarschriften"
                    ),
                ),
                Figure(
                    "dwangsom_forfeited",
                    "Verbeurde dwangsom (verschuldigd, euro)",
                    "Dwangsom forfeited (owed, euro)",
                    "dwangsom_forfeited",
                    {"types": DWANGSOM_TYPES},
                    shape="euro",
                    counts_nl="euro aan dwangsom verbeurd over de dagen van het jaar (Awb 4:17); "
                    "wat de IND verschuldigd is, geen betaling: Keten registreert geen betalingen",
                    counts_en="euros of dwangsom forfeited over the days of the year (Awb 4:17); "
                    "what the IND owes, not a payment: Keten records no payments",
                    source=_q(
                        "Naast deze automatische dwangsommen kunnen - indien de IND in gebreke is "
                        "gesteld - dwangsommen ook door de rechter aan de IND worden opgelegd."
                    ),
                ),
            ),
        ),
        Section(
            "nationalities",
            "Top 3 nationaliteiten",
            "Top 3 nationalities",
            (
                Figure(
                    "top_mvv_granted",
                    "Ingewilligde mvv-aanvragen",
                    "Granted mvv applications",
                    "top_granted",
                    {"types": MVV},
                    shape="top",
                    counts_nl="nationaliteiten met de meeste ingewilligde mvv-aanvragen",
                    counts_en="nationalities with the most granted mvv applications",
                    source=_q(
                        "De Chinese, Indiase en Turkse nationaliteit vormen de top drie "
                        "nationaliteiten van ingewilligde mvv-aanvragen in 2012."
                    ),
                ),
                Figure(
                    "top_vvr_granted",
                    "Ingewilligde vvr-aanvragen",
                    "Granted residence permit applications",
                    "top_granted",
                    {"types": VVR},
                    shape="top",
                    counts_nl="nationaliteiten met de meeste ingewilligde vvr-aanvragen",
                    counts_en="nationalities with the most granted residence permit applications",
                    source=_q(
                        "De Chinese, Amerikaanse en Indiase nationaliteit vormen de top drie "
                        "nationaliteiten van ingewilligde vvr-aanvragen in 2012."
                    ),
                ),
                Figure(
                    "top_asylum_intake",
                    "Asielaanvragen",
                    "Asylum applications",
                    "top_intake",
                    {"types": ASYLUM},
                    shape="top",
                    counts_nl="nationaliteiten met de meeste asielaanvragen (eerste en volgende)",
                    counts_en="nationalities with the most asylum applications (first and "
                    "subsequent)",
                    source=_q(
                        "De Irakese, Afghaanse en Somalische nationaliteit vormen - evenals in "
                        "2011 - de top drie nationaliteiten van asielaanvragen in 2012."
                    ),
                ),
            ),
            layout="year_no_diff",
        ),
        Section(
            "caribbean",
            "Caribisch Nederland",
            "Caribbean Netherlands",
            (
                Figure(
                    "caribbean_intake",
                    "Aanbod aanvragen en verzoeken",
                    "Applications and requests received",
                    "not_registered",
                    shape="not_registered",
                    counts_nl="Keten kent geen procedures van Caribisch Nederland",
                    counts_en="Keten holds no procedures of the Caribbean Netherlands",
                    source=_q("Aanbod aanvragen en verzoeken"),
                ),
            ),
        ),
    ),
)


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def frames_period(year: int) -> tuple[date, date]:
    """The days a supplier must select rows for to compute ``year`` against the year before."""
    return date(year - 1, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class Row:
    """One figure computed for the year and the year before."""

    figure: Figure
    previous: Value
    current: Value
    target: Target | None


@dataclass(frozen=True)
class AnnualReport:
    year: int
    source: str
    rows: dict[str, Row]

    def value(self, figure_id: str) -> Value:
        return self.rows[figure_id].current


def compute(frames: Frames, year: int, report: Report = ANNUAL) -> AnnualReport:
    """Every figure of ``report`` for ``year`` and ``year - 1`` over ``frames`` (which must hold
    the rows of both years: ``frames_period``)."""
    if frames.period is not None:
        need = frames_period(year)
        if frames.period[0] > need[0] or frames.period[1] < need[1]:
            raise ValueError(
                f"the frames cover {frames.period[0]}..{frames.period[1]}; the annual report "
                f"for {year} needs {need[0]}..{need[1]}"
            )
    rows: dict[str, Row] = {}
    for fig in report.figures():
        cur = counting.count(fig.rule, frames, *year_period(year), fig.args)
        prev = counting.count(fig.rule, frames, *year_period(year - 1), fig.args)
        rows[fig.id] = Row(fig, prev, cur, target(fig.target, year) if fig.target else None)
    return AnnualReport(year, frames.source, rows)


# What a figure's value looks like in JSON and in print.


def shown(fig: Figure, value: Value) -> int | float | list[list[Any]] | None:
    """The value as the report shows it: counts rounded as the figure says, shares in percent."""
    if value is None:
        return None
    if isinstance(value, Share):
        return value.percent
    if isinstance(value, Top):
        return [[c, n] for c, n in value.items]
    if fig.shape == "count50":
        return rounding.round_to(value)
    return value


def text(fig: Figure, value: Value) -> str:
    """The value printed as the seed prints it (Dutch)."""
    if fig.shape == "not_registered":
        return _NOT_REGISTERED_NL
    if value is None:
        return "n.v.t."
    if isinstance(value, Share):
        return rounding.share_text(value.percent)
    if isinstance(value, Top):
        return ", ".join(c for c, _ in value.items) or "–"
    if fig.shape == "count50":
        return rounding.thousands(rounding.round_to(value))
    if fig.shape == "euro":
        return f"€ {rounding.thousands(value)}"
    return rounding.thousands(value)


def difference(row: Row) -> float | None:
    """Counts: the change from the year before in percent, on the unrounded figures. Shares: the
    difference with the target in percentage points (the seed's "realisatie streven verschil")."""
    if isinstance(row.current, Share):
        if row.target is None or row.current.percent is None:
            return None
        return row.current.percent - row.target.value
    if isinstance(row.current, int) and isinstance(row.previous, int) and row.figure.compare:
        return rounding.difference(row.previous, row.current)
    return None


def difference_text(row: Row) -> str:
    if isinstance(row.current, Share):
        return rounding.points_text(difference(row))
    if row.figure.shape == "not_registered":
        return ""
    return rounding.percent_text(difference(row))
