"""The Vreemdelingencirculaire 2000 as rules: one module per chapter."""
