"""Rules about wikitext that need no page, database or request: pure functions."""
