"""API modules: one file per module; the registry finds them."""
