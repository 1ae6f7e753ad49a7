"""The embedded SQLite backend (aiosqlite): the unit of work, one repository module per area, migrations.

Every instant is stored as UTC ISO-8601 text (rows.py converts); every statement is parameterised.
"""
