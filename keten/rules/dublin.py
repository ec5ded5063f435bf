"""Dublin responsibility and transfer periods (Regulation (EU) 604/2013), from seed 001 par. 1.3."""

from __future__ import annotations

from datetime import date

from keten.rules.build import check, decide, value
from keten.rules.expr import ON, Fact, Ref, age, if_
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

BRIEFING = "001_7423ba70eed50d30.txt"
WHERE = "Introductiedossier Migratie, par. 1.3 Dublin"
ART_12_4 = "Verordening (EU) 604/2013 art. 12 lid 4"
ART_8 = "Verordening (EU) 604/2013 art. 8 lid 1 en 4"
ART_29 = "Verordening (EU) 604/2013 art. 29 lid 1 en 2"
SINCE = (
    "As the ministry briefing (late 2021) describes the Dublin Regulation, which applies to "
    "applications from 1 January 2014. The Pact's Regulation (EU) 2024/1351 replaces it from "
    "12 June 2026; the sources describe that only in outline, so the rule ends the day before."
)
DUBLIN_III = date(2014, 1, 1)  # Regulation 604/2013 applies to applications from this day
# Regulation (EU) 2024/1351 (AMMR) replaces 604/2013 when the Pact applies (12 June 2026); its
# rules are not in the sources, so these rules end the day before.
LAST_DAY = date(2026, 6, 11)


class DublinVisaFacts(RuleFacts):
    visa_of_other_member_state: bool = fact(
        "Holds or held a visa issued by another member state",
        "Heeft of had een visum van een andere lidstaat",
    )
    visa_valid_until: date = fact(
        "Last day the visa was valid", "Laatste geldigheidsdag van het visum"
    )
    first_application_date: date = fact(
        "Day the person first applied for asylum in a member state",
        "Datum waarop de vreemdeling voor het eerst asiel aanvroeg in een lidstaat",
    )


DUBLIN_VISA = Rule(
    id="dublin-visa",
    citation=ART_12_4,
    title=Text(
        "Dublin: verantwoordelijkheid van de lidstaat die het visum verleende",
        "Dublin: responsibility of the member state that issued the visa",
    ),
    facts=DublinVisaFacts,
    ends=LAST_DAY,
    versions=(
        RuleVersion(
            starts=DUBLIN_III,
            label=Text("Dublinverordening (EU) 604/2013", "Dublin Regulation (EU) 604/2013"),
            note=SINCE,
            checks=(
                check(
                    "expired_no_more_than_6_months",
                    Fact("first_application_date") <= Fact("visa_valid_until").shifted(months=6),
                    "Visum niet langer dan zes maanden verlopen bij de eerste asielaanvraag",
                    "Visa expired no more than six months at the first asylum application",
                    ART_12_4,
                ),
            ),
            outputs=(
                decide(
                    "visa_state_responsible",
                    "De lidstaat die het visum verleende is verantwoordelijk",
                    "The member state that issued the visa is responsible",
                    (
                        Fact("visa_of_other_member_state") & Ref("expired_no_more_than_6_months"),
                        True,
                        ART_12_4,
                    ),
                    otherwise=(False, ART_12_4),
                ),
            ),
            quotes=(
                Quote(
                    "Dan is de lidstaat die het visum heeft verleend verantwoordelijk voor de "
                    "behandeling van het asielverzoek, mits het visum niet langer dan zes maanden "
                    "is verlopen op het moment dat deze persoon voor het eerst asiel aanvraagt in "
                    "een lidstaat.",
                    BRIEFING,
                    WHERE,
                ),
            ),
        ),
    ),
)


class DublinMinorFacts(RuleFacts):
    birth_date: date = fact("Date of birth", "Geboortedatum")
    application_date: date = fact(
        "Day of the most recent asylum application", "Datum van het meest recente asielverzoek"
    )
    unaccompanied: bool = fact("Not accompanied by an adult responsible", "Niet-begeleid")
    family_in_other_member_state: bool = fact(
        "A family member or relative stays in another member state",
        "In een andere lidstaat verblijft een gezins- of familielid",
        default=False,
    )
    reunification_in_best_interest: bool = fact(
        "Reunification with that family member is in the minor's best interest",
        "Hereniging met dat gezins- of familielid is in het belang van de minderjarige",
        default=False,
    )


DUBLIN_MINOR = Rule(
    id="dublin-unaccompanied-minor",
    citation=ART_8,
    title=Text(
        "Dublin: niet-begeleide minderjarigen",
        "Dublin: unaccompanied minors",
    ),
    facts=DublinMinorFacts,
    ends=LAST_DAY,
    versions=(
        RuleVersion(
            starts=DUBLIN_III,
            label=Text("Dublinverordening (EU) 604/2013", "Dublin Regulation (EU) 604/2013"),
            note=SINCE,
            checks=(
                check(
                    "minor_at_application",
                    age(Fact("birth_date"), Fact("application_date")) < 18,
                    "Minderjarig bij het asielverzoek",
                    "A minor at the application",
                    ART_8,
                ),
                check(
                    "family_reunification",
                    Fact("family_in_other_member_state") & Fact("reunification_in_best_interest"),
                    "Gezins- of familielid in een andere lidstaat en hereniging in het belang van "
                    "de minderjarige",
                    "Family member in another member state and reunification in the minor's "
                    "best interest",
                    ART_8,
                ),
            ),
            outputs=(
                decide(
                    "responsible",
                    "Verantwoordelijke lidstaat",
                    "Responsible member state",
                    (~(Ref("minor_at_application") & Fact("unaccompanied")), None, ART_8),
                    (Ref("family_reunification"), "member_state_of_family_member", ART_8),
                    otherwise=("member_state_of_most_recent_application", f"{ART_8}; HvJ C-648/11"),
                    values={
                        "member_state_of_family_member": (
                            "lidstaat waar een gezins- of familielid verblijft",
                            "member state where a family member is present",
                        ),
                        "member_state_of_most_recent_application": (
                            "lidstaat van het meest recente asielverzoek",
                            "member state of the most recent application",
                        ),
                    },
                ),
                decide(
                    "claim_on_other_state_possible",
                    "Claim op een andere lidstaat mogelijk",
                    "A claim on another member state is possible",
                    (Ref("responsible").eq("member_state_of_family_member"), True, ART_8),
                    (Ref("responsible").is_given(), False, ART_8),
                    otherwise=(None, ART_8),
                ),
            ),
            quotes=(
                Quote(
                    "Voor niet-begeleide minderjarigen geldt dat hun asielverzoek wordt behandeld "
                    "in de lidstaat waar zij het meest recent een asielverzoek hebben gedaan, "
                    "tenzij in een andere lidstaat een gezins- of familielid verblijft en het in "
                    "het belang van de minderjarige is om daarmee herenigd te worden.",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Een niet-begeleide minderjarige wordt dus nooit geclaimd op een lidstaat "
                    "wanneer daar geen gezins- of familieleden verblijven.",
                    BRIEFING,
                    WHERE,
                ),
            ),
        ),
    ),
)


class TransferPeriodFacts(RuleFacts):
    acceptance_date: date = fact(
        "Day the responsible member state accepted the request (claimakkoord)",
        "Datum van het claimakkoord",
    )
    absconded: bool = fact(
        "The person left for an unknown destination",
        "De vreemdeling is met onbekende bestemming vertrokken",
        default=False,
    )
    transferred_on: date | None = fact(
        "Day the person was transferred, if transferred",
        "Datum van overdracht, indien overgedragen",
        default=None,
    )


TRANSFER_PERIOD = Rule(
    id="dublin-transfer-period",
    citation=ART_29,
    title=Text(
        "Dublin: overdrachtstermijn van zes (tot achttien) maanden",
        "Dublin: transfer period of six (up to eighteen) months",
    ),
    facts=TransferPeriodFacts,
    ends=LAST_DAY,
    versions=(
        RuleVersion(
            starts=DUBLIN_III,
            label=Text("Dublinverordening (EU) 604/2013", "Dublin Regulation (EU) 604/2013"),
            note=SINCE,
            checks=(
                check(
                    "deadline",
                    if_(
                        Fact("absconded"),
                        Fact("acceptance_date").shifted(months=18),
                        Fact("acceptance_date").shifted(months=6),
                    ),
                    "Uiterste overdrachtsdatum (zes maanden; achttien bij onbekende bestemming)",
                    "Last day for the transfer (six months; eighteen after absconding)",
                    ART_29,
                ),
                check(
                    "transferred_in_time",
                    Fact("transferred_on") <= Ref("deadline"),
                    "Binnen de termijn overgedragen",
                    "Transferred within the period",
                    ART_29,
                ),
            ),
            outputs=(
                value(
                    "transfer_deadline",
                    "Uiterste overdrachtsdatum",
                    "Last day for the transfer",
                    Ref("deadline"),
                    ART_29,
                ),
                decide(
                    "netherlands_responsible",
                    "Nederland is verantwoordelijk geworden",
                    "The Netherlands has become responsible",
                    (Ref("transferred_in_time"), False, ART_29),
                    (Ref("deadline") < ON, True, ART_29),
                    otherwise=(False, ART_29),
                ),
            ),
            quotes=(
                Quote(
                    "Vanaf de datum van het claimakkoord heeft Nederland zes maanden de tijd om "
                    "die "
                    "persoon over te dragen.",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Als dit binnen die zes maanden niet lukt, is Nederland verantwoordelijk voor "
                    "de asielaanvraag.",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "De termijn kan tot maximaal 18 maanden worden verlengd indien een persoon met "
                    "onbekende bestemming vertrekt; dit gebeurt veel.",
                    BRIEFING,
                    WHERE,
                ),
            ),
        ),
    ),
)

RULES = (DUBLIN_VISA, DUBLIN_MINOR, TRANSFER_PERIOD)
