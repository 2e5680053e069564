"""Messages of the passwords area."""

MESSAGES: dict[str, str] = {}
