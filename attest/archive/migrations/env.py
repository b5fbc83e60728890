"""Alembic environment: always run on the connection the archive hands over.

The archive opens the (encrypted) connection itself, so migrations never see
a passphrase or a URL of their own.
"""

from alembic import context

from attest.archive.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
