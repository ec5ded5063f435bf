"""The chain dossier: persons, procedures with append-only events, decisions, measures,
placements, residence documents, hand-overs, and the log of every dossier change."""
