"""Decision letters and notices: composed from the dossier and the decision's rule trail, kept
as rendered (``Letter``, append-only) so that the letter sent is the letter kept."""
