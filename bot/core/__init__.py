"""The platform-agnostic core: domain rules, use cases and the dispatcher. Never imports discord."""
