"""Domain services: what the API modules and the CLI ask for, above the store."""
