"""Messages of the auth area."""

MESSAGES: dict[str, str] = {}
