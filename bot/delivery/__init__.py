"""Delivery: what is due is claimed from the database with a lease, routed to its user's platform, and marked.

Follow-ups (dispatcher.py) and coaches' digests (digests.py) are rows with a due time, so one process or
several behave the same and a restart loses nothing. APScheduler only wakes the loops; it holds no state.
"""
