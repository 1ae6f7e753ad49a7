"""The words users read, once, for every platform: each module builds platform-neutral Messages (message.py)
from domain values: nudges, interviews, follow_ups, preferences, coaching, digest, your_data, notices. A
platform adapter only renders them (Discord: bot.platforms.discord.render). Also the files users get: ics.py,
spreadsheet.py, roster_csv.py. Imports only bot.domain."""
