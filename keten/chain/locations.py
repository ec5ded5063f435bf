"""Kinds of location where the chain houses or holds people, and the placement kinds each takes.

Seed 001 (4.1, 4.2) and seed 002 describe the reception landscape: regular azc's, emergency
locations ("noodopvanglocaties (bijvoorbeeld in evenementenhallen)"), crisis reception as the last
resort ("max. 7 dagen opvang in bijv. lokale sporthallen"), sober reception for track 2, small-scale
units for unaccompanied minors, the application centres and the closed family facility (seed 004).
What each kind allows beyond the placement kinds (who may be placed, for how long) is kept with
its source in ``data/reception/location_kinds.yaml`` once encoded; this module names the kinds.
"""

from __future__ import annotations

from keten.chain.kinds import SEED_001, SEED_004, Kind, _index

SEED_002 = "002_7c211f7c90b156ae.txt"

LOCATION_KINDS = _index(
    Kind("regular", "Asielzoekerscentrum (azc)", "Regular reception centre (azc)", SEED_001),
    Kind("emergency", "Noodopvanglocatie", "Emergency reception location", SEED_001),
    Kind("crisis", "Crisisnoodopvang", "Crisis emergency reception", SEED_001),
    Kind("sober", "Versoberde opvang (spoor 2)", "Sober reception (track 2)", SEED_001),
    Kind(
        "amv_small_scale",
        "Kleinschalige opvang amv",
        "Small-scale unit for unaccompanied minors",
        SEED_001,
    ),
    Kind("family_location", "Gezinslocatie", "Family location"),
    Kind("application_centre", "Aanmeldcentrum", "Application centre", SEED_004),
    Kind("ggv", "Gesloten gezinsvoorziening (GGV)", "Closed family facility (GGV)", SEED_004),
    Kind("detention_centre", "Detentiecentrum", "Detention centre"),
)

# Which placement kinds (``keten.chain.kinds.PLACEMENT_TYPES``) are recorded at a location of
# each kind. Kinds not listed here (a municipal home, a foster family) have no register entry.
PLACEMENTS_AT: dict[str, tuple[str, ...]] = {
    "regular": ("coa_regular",),
    "emergency": ("coa_emergency",),
    "crisis": ("coa_crisis",),
    "sober": ("coa_regular",),
    "amv_small_scale": ("coa_minors", "nidos_family"),
    "family_location": ("coa_regular",),
    "application_centre": ("coa_regular",),
    "ggv": ("ggv",),
    "detention_centre": ("detention_centre",),
}
