"""SQLite storage: the connection, migrations and every SQL statement. Never imports discord."""
