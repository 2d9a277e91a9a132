"""SQLAlchemy models, Alembic migrations and engine set-up for SQLite (embedded) and PostgreSQL."""
