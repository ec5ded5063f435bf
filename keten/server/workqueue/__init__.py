"""Who works a case: assignment of open procedures to a person in the team that holds them.

``models.Assignment`` is the history (append-only: who assigned which procedure to whom, when,
why); ``models.CurrentAssignment`` is its cache, one row per assigned procedure, rewritten in
the same transaction, so "mine" and the assignee filter are an indexed join and not a search
through the history. ``keten.server.services.assignments`` is the only code that writes them.
"""
