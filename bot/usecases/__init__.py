"""The use cases, one module per area: interviews, follow-ups, preferences, groups, the roster, your data.

Each validates everything first, then writes in one unit of work, so bad input writes nothing. They depend on
the domain, the content and the ports only: no driver, SDK, platform, scheduler or settings (import-linter
checks it in CI).
"""
