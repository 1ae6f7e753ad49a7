"""What the use cases and delivery need from the outside world, as interfaces they own.

A unit of work with its repositories (storage implements them), the clock, and the senders a chat platform
offers (a platform implements them). Only the composition root (bot/app.py) picks the implementations.
"""
