"""claimlint's built-in rule packs (YAML files in this directory, installed as claimlint.rules)."""
