"""The exchange between Keten instances of partner organisations abroad (issue 18, seed 000):
signed messages, an outbox that delivers until a signed receipt comes back, and an inbox that
refuses what it cannot verify."""
