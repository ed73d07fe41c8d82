"""Migration steps for PostgreSQL only: the search tables stay empty on SQLite, where the Whoosh engine
searches, and what makes them searchable (GIN indexes, triggers) exists on PostgreSQL alone.

The migration loader skips modules whose names start with an underscore: this is not a migration."""


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
