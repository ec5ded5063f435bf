"""Management information and the reports the chain owes, computed over the chain's events.

A report is data: which counts, over which events, grouped how, rounded how, compared with which
period and which target. The counting rules (what counts as a decision, as decided within the
term, as upheld in court) are written once here and cited; the server supplies the rows of a
period (``keten.server.services.report_source``), a dossier export supplies the same rows
without a server (``keten.reports.frames.read``), and both go through the same rules.
"""
