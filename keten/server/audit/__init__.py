"""The audit log of every read and write of personal data (Logboek dataverwerkingen)."""
