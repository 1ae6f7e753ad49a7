"""Chat platforms, one package each (discord/ today): commands in, content rendered out, nudges sent.

A platform package offers one object the composition root starts and stops; platforms never import storage,
delivery or each other. pacing.py is the token bucket their senders share as a tool.
"""
