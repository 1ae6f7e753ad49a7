"""Storage: the SQLite and PostgreSQL backends of the ports' unit of work, their migrations, and every SQL
statement. Never imports discord."""
