"""Alembic environment: runs migrations on the engine the app hands over."""

from alembic import context

from dashboard.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations on the engine passed in `config.attributes` (or the settings' URL)."""
    engine = config.attributes.get("engine")
    if engine is None:
        from dashboard.store.db import get_engine

        engine = get_engine()
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


run_migrations_online()
