"""Messages of the pages area."""

MESSAGES: dict[str, str] = {}
