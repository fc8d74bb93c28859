"""Floor 1: the database: SQLAlchemy models and Alembic migrations."""
