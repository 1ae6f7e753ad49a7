"""World objects rendered as the JSON payloads discord.py parses (only the keys it requires, plus the usual ones)."""

from __future__ import annotations

import datetime as dt

from .world import JSON, Attachment, ChannelType, Message, MessageOrigin, SandboxChannel, SandboxGuild, SandboxUser

EVERYONE_PERMISSIONS = 8_515_152_769_449_024
"""@everyone in a fresh server: view channels, send messages, embed, attach, read history, use commands…"""
BOT_PERMISSIONS = 8_866_461_766_385_663
"""Everything, as if the bot had been invited with administrator rights."""
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
JOINED_AT = 1_700_000_000.0

_PRIVILEGED_INTENT_FLAGS = {1 << 1: 1 << 14, 1 << 8: 1 << 12, 1 << 15: 1 << 18}
"""Privileged gateway intent bit -> the application flag saying it is enabled."""


def iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat()


def application_flags(privileged_intents: int) -> int:
    return sum(flag for intent, flag in _PRIVILEGED_INTENT_FLAGS.items() if privileged_intents & intent)


def user(u: SandboxUser) -> JSON:
    return {
        "id": str(u.id),
        "username": u.name,
        "global_name": None if u.bot else u.name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": u.bot,
        "public_flags": 0,
        "flags": 0,
        "locale": u.locale,
        "verified": True,
        "mfa_enabled": False,
    }


def member(u: SandboxUser, guild: SandboxGuild, *, with_user: bool = True) -> JSON:
    payload: JSON = {
        "roles": [],
        "nick": None,
        "avatar": None,
        "joined_at": iso(JOINED_AT),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "permissions": str(BOT_PERMISSIONS if u.bot or u is guild.owner else EVERYONE_PERMISSIONS),
        "communication_disabled_until": None,
    }
    if with_user:
        payload["user"] = user(u)
    return payload


def channel(c: SandboxChannel) -> JSON:
    """A channel object; DM channels list their recipient, guild channels carry guild_id and @everyone's
    permissions (read when the channel is resolved for a command option)."""
    if c.type is ChannelType.DM:
        recipients = [user(c.recipient)] if c.recipient is not None else []
        return {"id": str(c.id), "type": 1, "flags": 0, "last_message_id": None, "recipients": recipients}
    payload: JSON = {
        "id": str(c.id),
        "type": int(c.type),
        "name": c.name,
        "position": 0,
        "parent_id": None,
        "topic": None,
        "nsfw": False,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "permission_overwrites": [],
        "flags": 0,
        "permissions": str(EVERYONE_PERMISSIONS),
    }
    if c.guild_id is not None:
        payload["guild_id"] = str(c.guild_id)
    return payload


def everyone_role(guild: SandboxGuild) -> JSON:
    return {
        "id": str(guild.id),
        "name": "@everyone",
        "permissions": str(EVERYONE_PERMISSIONS),
        "position": 0,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def guild(g: SandboxGuild, *, with_members: bool = True) -> JSON:
    """The full guild object of a GUILD_CREATE or GET /guilds/{id}."""
    payload: JSON = {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(g.owner.id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": "en-US",
        "system_channel_id": str(g.text_channel.id),
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "features": [],
        "roles": [everyone_role(g)],
        "emojis": [],
        "stickers": [],
        "max_members": 500_000,
        "vanity_url_code": None,
    }
    if with_members:
        payload |= {
            "joined_at": iso(JOINED_AT),
            "large": False,
            "unavailable": False,
            "member_count": len(g.members),
            "members": [member(m, g) for m in g.members],
            "channels": [channel(c) for c in g.channels],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
    return payload


def attachment(a: Attachment, url_base: str, channel_id: int) -> JSON:
    url = f"{url_base}/attachments/{channel_id}/{a.id}/{a.filename}"
    payload: JSON = {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": url,
        "proxy_url": url,
        "content_type": a.content_type,
    }
    if a.description is not None:
        payload["description"] = a.description
    return payload


def message(m: Message, *, url_base: str, guild_id: int | None, application_id: int) -> JSON:
    payload: JSON = {
        "id": str(m.id),
        "channel_id": str(m.channel_id),
        "type": 20 if m.origin is MessageOrigin.INTERACTION else 0,
        "author": user(m.author),
        "content": m.content,
        "timestamp": iso(m.created_at),
        "edited_timestamp": iso(m.created_at) if m.edits else None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [attachment(a, url_base, m.channel_id) for a in m.attachments],
        "embeds": m.embeds,
        "components": m.components,
        "pinned": False,
        "flags": m.flags,
    }
    if m.nonce is not None:
        payload["nonce"] = m.nonce
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
    if m.origin is MessageOrigin.INTERACTION:
        payload["webhook_id"] = str(application_id)
        payload["application_id"] = str(application_id)
    return payload
