"""Documents about an employer that several paragraphs accept as evidence (B1/4 for recognition
as a sponsor, B5 for employment and start-ups), labelled once so that the same document reads
the same in every rule's form."""

from __future__ import annotations

from keten.rules.facts import ChoiceLabels

COMPANY_DOCUMENTS: ChoiceLabels = {
    "payroll_extract": (
        "geanonimiseerde uitdraai van de verzamelloonstaat",
        "anonymised payroll extract (verzamelloonstaat)",
    ),
    "tax_payment_statement": (
        "verklaring over het betalingsgedrag door de Belastingdienst",
        "statement of the Tax Administration on payment behaviour",
    ),
    "audited_annual_accounts": (
        "door een accountant goedgekeurde jaarrekening",
        "annual accounts approved by an accountant",
    ),
    "accountant_report": (
        "rapport van bevindingen van een accountant",
        "accountant's report of findings",
    ),
    "bank_statement": ("bankverklaring", "bank statement"),
}


def company_documents(*codes: str) -> ChoiceLabels:
    """The labels of these company documents, to spread into a fact's choice labels."""
    return {code: COMPANY_DOCUMENTS[code] for code in codes}
