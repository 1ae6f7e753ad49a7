"""The PostgreSQL backend (asyncpg): a small pool per process, the unit of work, one repository module per area,
migrations under an advisory lock. Every instant is a timestamptz; claims take rows with FOR UPDATE SKIP LOCKED,
so any number of processes share the queue without waiting on one another or claiming a row twice.
"""
