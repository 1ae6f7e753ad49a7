"""Local chat platforms for tests and the demo: the real clients talk to them on 127.0.0.1.

discord/ is a local Discord; local_bot.py runs the real bot against it.
"""
