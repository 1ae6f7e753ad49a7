"""The local Slack drives the real, unmodified slack_sdk AsyncWebClient and a slack_bolt AsyncApp in Socket Mode."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox.slack import SlackSandbox, SlackTimeout, SubmissionError
from tests.sandbox.conftest import ManualClock

pytestmark = pytest.mark.e2e

FOLLOW_UP = {"event_type": "follow_up", "event_payload": {"follow_up_id": 7, "snoozes": 0}}


def log_modal() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "log",
        "title": {"type": "plain_text", "text": "Log interview"},
        "submit": {"type": "plain_text", "text": "Save"},
        "private_metadata": "from-slash",
        "blocks": [
            {
                "type": "input",
                "block_id": "company",
                "label": {"type": "plain_text", "text": "Company"},
                "element": {"type": "plain_text_input", "action_id": "company_input"},
            },
            {
                "type": "input",
                "block_id": "when",
                "label": {"type": "plain_text", "text": "Date"},
                "element": {"type": "datepicker", "action_id": "when_date", "initial_date": "2026-12-01"},
            },
            {
                "type": "input",
                "block_id": "stage",
                "optional": True,
                "label": {"type": "plain_text", "text": "Stage"},
                "element": {
                    "type": "static_select",
                    "action_id": "stage_select",
                    "options": [
                        {"text": {"type": "plain_text", "text": n.title()}, "value": n} for n in ("phone", "onsite")
                    ],
                },
            },
        ],
    }


def step(name: str) -> dict[str, Any]:
    field = {"type": "plain_text_input", "action_id": "answer", "initial_value": name}
    return {
        "type": "modal",
        "callback_id": f"step-{name}",
        "title": {"type": "plain_text", "text": f"Step {name}"},
        "submit": {"type": "plain_text", "text": "Next"},
        "notify_on_close": True,
        "blocks": [{"type": "input", "block_id": "q", "label": {"type": "plain_text", "text": "Q"}, "element": field}],
    }


def nudge_blocks(text: str, *, buttons: bool) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if buttons:
        done = {"type": "button", "action_id": "done", "text": {"type": "plain_text", "text": "Done"}, "value": "7"}
        blocks.append({"type": "actions", "block_id": "nudge", "elements": [done]})
    return blocks


def build_app(client: AsyncWebClient) -> AsyncApp:
    """A tiny real Bolt app: just enough listeners to exercise each part of the local Slack."""
    app = AsyncApp(client=client)

    @app.command("/echo")
    async def echo(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack(f"echo {command['text']}")

    @app.command("/whoami")
    async def whoami(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        info = await client.users_info(user=command["user_id"])
        await client.chat_postEphemeral(
            channel=command["channel_id"], user=command["user_id"], text=f"you are in {info['user']['tz']}"
        )

    @app.command("/interview")
    async def interview(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=log_modal())

    @app.view("log")
    async def logged(ack: AsyncAck, view: dict[str, Any]) -> None:
        values = view["state"]["values"]
        company = values["company"]["company_input"]["value"]
        if company.lower() == "nowhere":
            await ack(response_action="errors", errors={"company": "No such company"})
            return
        stage = (values["stage"]["stage_select"]["selected_option"] or {}).get("value", "unknown")
        done = {
            "type": "modal",
            "title": {"type": "plain_text", "text": "Logged"},
            "blocks": [
                {
                    "type": "section",
                    "text": {
                        "type": "mrkdwn",
                        "text": f"{company} on {values['when']['when_date']['selected_date']} ({stage})",
                    },
                }
            ],
        }
        await ack(response_action="update", view=done)

    @app.command("/nudge")
    async def nudge(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        dm = await client.conversations_open(users=command["user_id"])
        await client.chat_postMessage(
            channel=dm["channel"]["id"],
            text="Time to follow up with Acme",
            blocks=nudge_blocks("Time to follow up with *Acme*", buttons=True),
            metadata=FOLLOW_UP,
        )

    @app.action("done")
    async def done(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.chat_update(
            channel=body["container"]["channel_id"],
            ts=body["container"]["message_ts"],
            text="Done: Acme",
            blocks=nudge_blocks(f"Done: *Acme* (follow-up {body['actions'][0]['value']})", buttons=False),
        )

    @app.event("app_home_opened")
    async def home(event: dict[str, Any], client: AsyncWebClient) -> None:
        blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Your follow-ups"}}]
        await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": blocks})

    @app.event("message")
    async def dm(event: dict[str, Any], say: Any) -> None:
        await say(f"you said {event['text']}")

    @app.command("/wizard")
    async def wizard(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=step("one"))

    @app.view("step-one")
    async def one(ack: AsyncAck) -> None:
        await ack(response_action="push", view=step("two"))

    @app.view("step-two")
    async def two(ack: AsyncAck) -> None:
        await ack(response_action="clear")

    @app.view_closed("step-one")
    async def closed(ack: AsyncAck) -> None:
        await ack()

    @app.command("/menu")
    async def menu(ack: AsyncAck) -> None:
        pick = {"type": "button", "action_id": "pick", "text": {"type": "plain_text", "text": "Pick"}}
        await ack(text="Menu", blocks=[{"type": "actions", "elements": [pick]}])

    @app.action("pick")
    async def pick(ack: AsyncAck, respond: Any) -> None:
        await ack()
        await respond(replace_original=True, text="Picked")

    @app.command("/boom")
    async def boom(ack: AsyncAck, client: AsyncWebClient) -> None:
        await ack("on it")
        await client.chat_postMessage(channel="C0NOWHERE", text="x")

    @app.command("/slow")
    async def slow(ack: AsyncAck) -> None:
        await asyncio.sleep(0.3)
        await ack("finally")

    return app


@pytest.fixture(autouse=True)
def no_proxies_or_oauth(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "")
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def slack_options() -> dict[str, Any]:
    """Override with ``@pytest.mark.parametrize("slack_options", [{...}])``."""
    return {}


@pytest.fixture
async def slack(clock: ManualClock, slack_options: dict[str, Any]) -> AsyncIterator[SlackSandbox]:
    async with SlackSandbox(clock=clock, **slack_options) as sandbox:
        yield sandbox


@pytest.fixture
def client(slack: SlackSandbox) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)


@pytest.fixture
async def app(slack: SlackSandbox, client: AsyncWebClient) -> AsyncIterator[AsyncApp]:
    bolt = build_app(client)
    handler = AsyncSocketModeHandler(bolt, slack.app_token, ping_interval=0.2)
    await handler.connect_async()
    try:
        await slack.wait_for_connection()
        yield bolt
    finally:
        await handler.close_async()


async def test_slash_command_is_acked_and_answered_ephemerally(slack: SlackSandbox, app: AsyncApp) -> None:
    alice = slack.add_user("alice", tz="America/Chicago")

    echoed = await slack.slash(alice, "/echo", "hello")
    assert echoed.acked and echoed.ack == {"text": "echo hello"}
    assert [m.text for m in echoed.ephemerals] == ["echo hello"]
    assert echoed.ephemerals[0].visible_to is alice and slack.dms(alice) == []

    whoami = await slack.slash(alice, "/whoami", channel=slack.general)
    assert whoami.ack is None
    assert whoami.text == "you are in America/Chicago"
    assert whoami.ephemerals[0].channel == slack.general.id
    assert [r.method for r in slack.requests if r.method != "apps.connections.open"] == [
        "auth.test",
        "users.info",
        "chat.postEphemeral",
    ]
    assert slack.late_acks == [] and slack.missing_acks == []


async def test_modal_opened_then_submitted_with_errors_then_successfully(slack: SlackSandbox, app: AsyncApp) -> None:
    alice = slack.add_user("alice")
    opened = await slack.slash(alice, "/interview")
    modal = opened.modal
    assert modal is not None and modal.title == "Log interview" and modal.private_metadata == "from-slash"

    with pytest.raises(SubmissionError, match="required input 'company' is empty"):
        await slack.submit(modal, {"when_date": "2026-12-03"})

    refused = await slack.submit(modal, {"company_input": "Nowhere"})
    assert refused.response_action == "errors" and refused.errors == {"company": "No such company"}
    assert refused.problems == [] and slack.modals(alice) == [modal]

    saved = await slack.submit(modal, {"company_input": "Acme", "stage_select": "onsite"})
    assert saved.response_action == "update" and saved.modal is modal
    assert modal.title == "Logged"
    assert modal.blocks[0]["text"]["text"] == "Acme on 2026-12-01 (onsite)"


async def test_view_submission_acks_push_and_clear_the_modal_stack(slack: SlackSandbox, app: AsyncApp) -> None:
    alice = slack.add_user("alice")
    first = (await slack.slash(alice, "/wizard")).modal
    assert first is not None
    pushed = await slack.submit(first)
    second = pushed.modal
    assert pushed.response_action == "push" and second is not None and second.title == "Step two"
    assert slack.modals(alice) == [first, second] and second.previous_view_id == first.id
    with pytest.raises(SubmissionError, match="not the one alice sees"):
        await slack.submit(first)

    cleared = await slack.submit(second)
    assert cleared.response_action == "clear" and slack.modals(alice) == []
    assert not first.open and not second.open


async def test_closing_a_modal_tells_the_app_only_when_it_asked(slack: SlackSandbox, app: AsyncApp) -> None:
    alice = slack.add_user("alice")
    quiet = (await slack.slash(alice, "/interview")).modal
    assert quiet is not None and await slack.close(quiet) is None and slack.modals(alice) == []
    noisy = (await slack.slash(alice, "/wizard")).modal
    assert noisy is not None
    closed = await slack.close(noisy)
    assert closed is not None and closed.acked and closed.payload["type"] == "view_closed"
    assert not noisy.open and slack.modals(alice) == []


async def test_a_button_on_an_ephemeral_message_replaces_it_through_the_response_url(
    slack: SlackSandbox, app: AsyncApp
) -> None:
    alice = slack.add_user("alice")
    [menu] = (await slack.slash(alice, "/menu")).ephemerals
    assert menu.ephemeral and menu.action_ids == ["pick"]
    clicked = await slack.click(alice, menu, "pick")
    assert clicked.updated == [menu] and menu.text == "Picked" and menu.action_ids == []
    assert [r.method for r in slack.requests_to("response_url")] == ["response_url"]
    bob = slack.add_user("bob")
    with pytest.raises(SubmissionError, match="cannot see an ephemeral message"):
        await slack.click(bob, menu, "pick")


async def test_a_trigger_id_works_once_and_for_three_seconds(
    slack: SlackSandbox, app: AsyncApp, client: AsyncWebClient, clock: ManualClock
) -> None:
    alice = slack.add_user("alice")
    first, second = await slack.slash(alice, "/echo", "a"), await slack.slash(alice, "/echo", "b")
    await client.views_open(trigger_id=first.trigger_id, view=log_modal())
    with pytest.raises(SlackApiError) as reused:
        await client.views_open(trigger_id=first.trigger_id, view=log_modal())
    assert reused.value.response["error"] == "trigger_exchanged"

    clock.now += 3.5
    with pytest.raises(SlackApiError) as expired:
        await client.views_open(trigger_id=second.trigger_id, view=log_modal())
    assert expired.value.response["error"] == "expired_trigger_id"


async def test_button_click_updates_its_own_message_and_metadata_is_found_again(
    slack: SlackSandbox, app: AsyncApp, client: AsyncWebClient
) -> None:
    alice = slack.add_user("alice")
    await slack.slash(alice, "/nudge")
    [nudge] = slack.dms(alice)
    assert nudge.action_ids == ["done"] and nudge.metadata == FOLLOW_UP

    dm = await client.conversations_open(users=alice.id)
    plain = await client.conversations_history(channel=dm["channel"]["id"])
    assert "metadata" not in plain["messages"][0]
    tagged = await client.conversations_history(channel=dm["channel"]["id"], include_all_metadata=True)
    assert [(m["ts"], m["metadata"]) for m in tagged["messages"]] == [(nudge.ts, FOLLOW_UP)]

    clicked = await slack.click(alice, nudge, "done")
    assert clicked.updated == [nudge]
    assert nudge.text == "Done: Acme" and nudge.action_ids == []
    assert nudge.blocks[0]["text"]["text"] == "Done: *Acme* (follow-up 7)"
    assert len(nudge.edits) == 1 and nudge.metadata == FOLLOW_UP
    with pytest.raises(SubmissionError, match="no element 'done'"):
        await slack.click(alice, nudge, "done")


async def test_app_home_is_published_when_opened(slack: SlackSandbox, app: AsyncApp) -> None:
    alice = slack.add_user("alice")
    opened = await slack.open_home(alice)
    home = slack.home(alice)
    assert home is not None and opened.published == [home]
    assert home.type == "home" and home.blocks[0]["text"]["text"] == "Your follow-ups"

    await slack.open_home(alice)
    assert slack.home(alice) is home and len(home.history) == 1


async def test_a_dm_to_the_bot_reaches_the_app(slack: SlackSandbox, app: AsyncApp) -> None:
    alice = slack.add_user("alice")
    await slack.send_dm(alice, "hi")
    assert [m.text for m in slack.dms(alice)] == ["you said hi"]


@pytest.mark.parametrize("slack_options", [{"post_burst": 2, "post_interval": 1.0}])
async def test_posts_past_the_channel_pace_and_injected_faults_get_429_with_an_integer_retry_after(
    slack: SlackSandbox, client: AsyncWebClient, clock: ManualClock
) -> None:
    alice = slack.add_user("alice")
    for n in range(2):
        await client.chat_postMessage(channel=alice.id, text=f"message {n}")
    with pytest.raises(SlackApiError) as paced:
        await client.chat_postMessage(channel=alice.id, text="one too many")
    assert paced.value.response.status_code == 429
    assert paced.value.response["error"] == "ratelimited"
    assert paced.value.response.headers["Retry-After"] == "1"

    clock.now += 1.0
    await client.chat_postMessage(channel=alice.id, text="paced")
    slack.faults.rate_limit_next(retry_after=30)
    with pytest.raises(SlackApiError) as injected:
        await client.chat_postMessage(channel=alice.id, text="injected")
    assert injected.value.response.headers["Retry-After"] == "30"
    assert [m.text for m in slack.dms(alice)] == ["message 0", "message 1", "paced"]


async def test_undeliverable_dms_answer_with_slacks_errors(slack: SlackSandbox, client: AsyncWebClient) -> None:
    closed = slack.add_user("closed", dm_error="messages_tab_disabled")
    gone = slack.add_user("gone", dm_error="user_disabled")
    dm = await client.conversations_open(users=closed.id)
    with pytest.raises(SlackApiError) as tab:
        await client.chat_postMessage(channel=dm["channel"]["id"], text="hello")
    assert tab.value.response["error"] == "messages_tab_disabled"
    for user_id, error in (
        (gone.id, "user_disabled"),
        (slack.bot_user.id, "cannot_dm_bot"),
        ("U0NOBODY", "user_not_found"),
    ):
        with pytest.raises(SlackApiError) as failed:
            await client.conversations_open(users=user_id)
        assert failed.value.response["error"] == error


async def test_block_kit_limits_and_wrong_tokens_are_refused(slack: SlackSandbox, client: AsyncWebClient) -> None:
    alice = slack.add_user("alice")
    divider = {"type": "divider"}
    with pytest.raises(SlackApiError) as too_many:
        await client.chat_postMessage(channel=alice.id, text="x", blocks=[divider] * 51)
    assert too_many.value.response["error"] == "invalid_blocks"
    assert too_many.value.response["errors"] == ["must provide no more than 50 items [json-pointer:/blocks]"]
    long_id = {"type": "button", "action_id": "a" * 256, "text": {"type": "plain_text", "text": "Go"}}
    with pytest.raises(SlackApiError) as bad_id:
        await client.chat_postMessage(channel=alice.id, text="x", blocks=[{"type": "actions", "elements": [long_id]}])
    assert bad_id.value.response["errors"] == [
        "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]"
    ]
    with pytest.raises(SlackApiError) as no_text, pytest.warns(UserWarning, match="`text` argument is missing"):
        await client.chat_postMessage(channel=alice.id)
    assert no_text.value.response["error"] == "no_text"
    with pytest.raises(SlackApiError) as wrong_token:
        await AsyncWebClient(token="xoxb-wrong", base_url=slack.api_url).auth_test()
    assert wrong_token.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as app_token:
        await AsyncWebClient(token=slack.app_token, base_url=slack.api_url).chat_postMessage(channel=alice.id, text="x")
    assert app_token.value.response["error"] == "not_allowed_token_type"


async def test_files_arrive_in_the_dm(slack: SlackSandbox, client: AsyncWebClient) -> None:
    alice = slack.add_user("alice")
    dm = await client.conversations_open(users=alice.id)
    await client.files_upload_v2(
        channel=dm["channel"]["id"],
        filename="interviews.ics",
        content="BEGIN:VCALENDAR",
        initial_comment="Your calendar",
    )
    [message] = slack.dms(alice)
    [file] = message.files
    assert (message.text, file.filename, file.text()) == ("Your calendar", "interviews.ics", "BEGIN:VCALENDAR")


@pytest.mark.parametrize("how", ["close", "refresh_requested", "abrupt"])
async def test_a_dropped_socket_reconnects_and_serves_again(slack: SlackSandbox, app: AsyncApp, how: str) -> None:
    alice = slack.add_user("alice")
    assert slack.pings >= 1
    await slack.drop_socket(how)
    await slack.wait_for_connection(2, timeout=5.0)
    assert len(slack.requests_to("apps.connections.open")) == 2
    assert (await slack.slash(alice, "/echo", "again")).text == "echo again"


@pytest.mark.parametrize("slack_options", [{"ack_deadline": 0.1}])
async def test_late_and_missing_acks_are_recorded(slack: SlackSandbox, app: AsyncApp) -> None:
    alice = slack.add_user("alice")
    late = await slack.slash(alice, "/slow")
    assert late.late and late.problems == ["operation_timeout"] and late.ephemerals == []
    assert slack.late_acks == [late]

    unknown = await slack.slash(alice, "/unknown", timeout=0.3, expect_ack=False)
    assert not unknown.acked and unknown.problems == ["dispatch_failed"]
    assert slack.missing_acks == [unknown]
    with pytest.raises(SlackTimeout):
        await slack.slash(alice, "/unknown", timeout=0.2)


@pytest.mark.parametrize("slack_options", [{"latency": 0.05}])
async def test_with_slacks_latency_an_ack_survives_a_listener_that_fails_after_it(
    slack: SlackSandbox, app: AsyncApp
) -> None:
    alice = slack.add_user("alice")
    answered = await slack.slash(alice, "/boom")
    assert answered.text == "on it" and answered.problems == []
    [failed] = slack.requests_to("chat.postMessage")
    assert failed.error == "channel_not_found"


@pytest.mark.parametrize(
    "slack_options", [{"workspace_burst": 3, "workspace_interval": 2.0, "post_burst": 1, "post_interval": 10.0}]
)
async def test_the_workspace_wide_cap_limits_posts_across_channels(
    slack: SlackSandbox, client: AsyncWebClient, clock: ManualClock
) -> None:
    users = [slack.add_user(name) for name in ("ann", "ben", "cat", "dan")]
    for user in users[:3]:
        await client.chat_postMessage(channel=user.id, text="hi")
    with pytest.raises(SlackApiError) as capped:
        await client.chat_postMessage(channel=users[3].id, text="hi")
    assert capped.value.response.status_code == 429 and capped.value.response.headers["Retry-After"] == "2"
    clock.now += 2.0  # the refused post did not spend dan's channel token (one per 10 s here)
    await client.chat_postMessage(channel=users[3].id, text="hi")
    assert [len(slack.dms(u)) for u in users] == [1, 1, 1, 1]


async def test_only_the_bots_own_messages_can_be_updated(
    slack: SlackSandbox, app: AsyncApp, client: AsyncWebClient
) -> None:
    alice = slack.add_user("alice")
    await slack.send_dm(alice, "hello bot")
    dm = slack.dm_channel(alice)
    mine = await client.conversations_history(channel=dm.id)
    written_by_alice = next(m for m in mine["messages"] if m["user"] == alice.id)
    before = await client.conversations_history(channel=dm.id, latest=written_by_alice["ts"])
    assert [m["ts"] for m in before["messages"]] == []
    including = await client.conversations_history(channel=dm.id, latest=written_by_alice["ts"], inclusive=True)
    assert [m["ts"] for m in including["messages"]] == [written_by_alice["ts"]]
    with pytest.raises(SlackApiError) as refused:
        await client.chat_update(channel=dm.id, ts=written_by_alice["ts"], text="edited")
    assert refused.value.response["error"] == "cant_update_message"
    [menu] = (await slack.slash(alice, "/menu")).ephemerals
    with pytest.raises(SlackApiError) as ephemeral:
        await client.chat_update(channel=dm.id, ts=menu.ts, text="edited")
    assert ephemeral.value.response["error"] == "message_not_found"


async def test_after_an_outage_the_app_reconnects(slack: SlackSandbox, app: AsyncApp) -> None:
    alice = slack.add_user("alice")
    async with slack.outage():
        await asyncio.sleep(0.3)  # the client's reconnect attempts meet a closed port
    await slack.wait_for_connection(2, timeout=5.0)
    assert (await slack.slash(alice, "/echo", "back")).text == "echo back"
