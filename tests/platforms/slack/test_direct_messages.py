"""The Slack sender against the local Slack with the real AsyncWebClient: nudges carry metadata and a resend
after a crash is found in the DM, undeliverable DMs, a 429's Retry-After reported without waiting, pacing."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.models import FollowUpKind, Nudge
from bot.platforms.pacing import TokenBucket
from bot.platforms.slack.direct_messages import SlackDirectMessages
from bot.platforms.slack.notifier import NUDGE_EVENT, SlackNotifier
from bot.ports.senders import DeliveryStatus
from bot.sandbox.slack import SlackSandbox, SlackUser
from tests.platforms.discord.builders import follow_up, interview, user

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "")


@pytest.fixture
async def slack() -> AsyncIterator[SlackSandbox]:
    async with SlackSandbox() as sandbox:
        yield sandbox


def notifier(slack: SlackSandbox, channel_rate: float = 0) -> SlackNotifier:
    client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)
    return SlackNotifier(SlackDirectMessages(client, TokenBucket(0), channel_rate), timedelta(days=1))


def nudge_for(person: SlackUser, dm_channel: str | None = None, snoozes: int = 0, attempts: int = 1) -> Nudge:
    """By default one claimed before (its lease ran out, or a send failed): the sender looks in the DM first."""
    seeker = replace(user(), external_id=person.id, platform="slack", dm_channel=dm_channel)
    thank_you = replace(follow_up(FollowUpKind.THANK_YOU_EMAIL), snoozes=snoozes, attempts=attempts)
    return Nudge(thank_you, interview(), None, None, seeker, False)


async def test_a_nudge_is_a_dm_with_blocks_a_fallback_and_its_metadata(slack: SlackSandbox) -> None:
    maya = slack.add_user("maya")
    sent = await notifier(slack).send(nudge_for(maya))
    assert sent.status is DeliveryStatus.SENT
    [message] = slack.dms(maya)
    assert sent.dm_channel == message.channel and sent.message_ref == message.ts
    assert message.blocks and message.text
    assert message.metadata == {
        "event_type": NUDGE_EVENT,
        "event_payload": {
            "follow_up_id": 1,
            "snoozes": 0,
            "created": int(nudge_for(maya).follow_up.created_at.timestamp()),
        },
    }


async def test_a_resend_after_a_crash_finds_the_nudge_in_the_dm_and_posts_nothing(slack: SlackSandbox) -> None:
    maya = slack.add_user("maya")
    first = await notifier(slack).send(nudge_for(maya))
    again = await notifier(slack).send(nudge_for(maya, first.dm_channel))  # a new process, the lease ran out
    assert again.status is DeliveryStatus.SENT
    assert again.message_ref == first.message_ref
    assert (first.duplicate, again.duplicate) == (False, True)  # counted as a suppressed duplicate
    assert len(slack.dms(maya)) == 1
    history = slack.requests_to("conversations.history")[-1]
    assert history.args.get("include_all_metadata") in (True, "true", "1", 1)


async def test_a_first_send_to_a_dm_never_stored_still_looks_for_the_nudge(slack: SlackSandbox) -> None:
    """The DM channel is stored when the send is marked: a crash before that leaves it unknown to the restart."""
    maya = slack.add_user("maya")
    first = await notifier(slack).send(nudge_for(maya))
    again = await notifier(slack).send(nudge_for(maya))  # killed before the DM channel was stored
    assert again.message_ref == first.message_ref
    assert len(slack.dms(maya)) == 1


async def test_a_snoozed_nudge_is_a_new_message_not_the_earlier_one(slack: SlackSandbox) -> None:
    maya = slack.add_user("maya")
    first = await notifier(slack).send(nudge_for(maya))
    later = await notifier(slack).send(nudge_for(maya, first.dm_channel, snoozes=1))
    assert later.message_ref != first.message_ref
    assert len(slack.dms(maya)) == 2


@pytest.mark.parametrize("error", ["messages_tab_disabled", "user_disabled", "cannot_dm_bot", "user_not_found"])
async def test_an_undeliverable_dm_is_dms_closed_after_one_attempt(slack: SlackSandbox, error: str) -> None:
    omar = slack.add_user("omar", dm_error=error)
    sent = await notifier(slack).send(nudge_for(omar))
    assert sent.status is DeliveryStatus.DMS_CLOSED
    assert sent.error == error
    assert len(slack.requests_to("chat.postMessage")) <= 1  # one attempt (opening the DM may fail first)


async def test_a_429_reports_its_retry_after_without_waiting_it_out(slack: SlackSandbox) -> None:
    maya = slack.add_user("maya")
    slack.faults.rate_limit_next(retry_after=30)
    started = time.monotonic()
    sent = await notifier(slack).send(nudge_for(maya))
    assert time.monotonic() - started < 5
    assert sent.status is DeliveryStatus.RETRY and sent.unreachable
    assert sent.retry_after == timedelta(seconds=30)
    assert not slack.dms(maya)


async def test_other_errors_are_retried(slack: SlackSandbox) -> None:
    maya = slack.add_user("maya")
    slack.faults.fail_next("chat.postMessage", "internal_error", status=500)
    sent = await notifier(slack).send(nudge_for(maya))
    assert sent.status is DeliveryStatus.RETRY


async def test_messages_to_one_channel_are_paced_under_slack_s_limit() -> None:
    async with SlackSandbox(post_interval=0.1, post_burst=1) as strict:
        maya = strict.add_user("maya")
        paced = notifier(strict, channel_rate=5)  # half the local limit: a margin for a loaded machine
        sent = [await paced.send(nudge_for(maya, snoozes=snoozes)) for snoozes in range(4)]
    assert [s.status for s in sent] == [DeliveryStatus.SENT] * 4
    assert strict.faults.rate_limited == 0
    assert len(strict.dms(maya)) == 4


@pytest.mark.parametrize("stored", [True, False])
async def test_only_a_nudge_claimed_before_is_looked_for_in_the_dm(slack: SlackSandbox, stored: bool) -> None:
    """A first claim cannot have been shown: it is posted at once, with no conversations.history call."""
    maya = slack.add_user("maya")
    dm = (await notifier(slack).send(nudge_for(maya, snoozes=9, attempts=0))).dm_channel if stored else None
    fresh = [nudge_for(maya, dm, snoozes=n, attempts=0) for n in range(2)]  # 3 posts: the DM's burst
    for nudge in fresh:
        assert (await notifier(slack).send(nudge)).status is DeliveryStatus.SENT
    assert slack.requests_to("conversations.history") == []
    again = await notifier(slack).send(replace(fresh[0], follow_up=replace(fresh[0].follow_up, attempts=1)))
    assert len(slack.requests_to("conversations.history")) == 1
    assert len(slack.dms(maya)) == 2 + stored  # the one claimed before was found, not posted again
    assert again.status is DeliveryStatus.SENT


async def test_a_nudge_whose_send_failed_as_unreachable_is_looked_for(slack: SlackSandbox) -> None:
    maya = slack.add_user("maya")
    first = await notifier(slack).send(nudge_for(maya, attempts=0))
    retried = nudge_for(maya, first.dm_channel, attempts=0)
    retried = replace(retried, follow_up=replace(retried.follow_up, unreachable_since=retried.follow_up.due_at))
    assert (await notifier(slack).send(retried)).message_ref == first.message_ref
    assert len(slack.dms(maya)) == 1
