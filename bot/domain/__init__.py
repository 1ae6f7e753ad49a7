"""The domain: pure rules and values, no I/O.

Models (users, interviews, follow-ups, groups), the follow-up plan, what coaches see, time parsing in the user's
zone, text limits, the product's commands and the errors users cause. Everything here is a pure function of its
arguments (time comes in as a parameter), so it is tested with fixed instants and no fakes. It imports nothing
else of the bot: every other layer may import it.
"""
