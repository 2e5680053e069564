"""Storage: one schema, Alembic migrations, repositories and the key-value store."""
