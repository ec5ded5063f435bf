"""Organisations of the chain and their members' roles (the policy decides what a role may do)."""
