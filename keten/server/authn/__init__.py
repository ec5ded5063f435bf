"""Authentication: the password check throttled per account and per address, the session's
absolute lifetime, the API token's maximum age (docs/security.md, Authentication)."""
