"""Every command's options driven with arbitrary text, dates and ids (hypothesis), through the real client.

Each example gets a private reply: an error that writes nothing, or a correct result. No reply may ping
anyone, whatever the text holds.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App
from bot.domain import text
from bot.sandbox.discord import InteractionResult, Sandbox, SandboxUser
from tests.coach_support import dump_all
from tests.e2e.helpers import actor, reply
from tests.support import dump

pytestmark = pytest.mark.e2e

LIVE = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # the same examples on every machine
    derandomize=True,
)

NASTY = [
    "@everyone",
    "@here",
    "<@1>",
    "<@&2>",
    "**bold** __u__ `code` ||spoiler||",
    "'; DROP TABLE interviews; --",
    "\u202eevil\u202c",
    "zero\u200bwidth\u200d",
    "\x00\x07\x1b[31m",
    "x" * 3000,
    "",
    "   ",
]
# Any Unicode but lone surrogates (JSON cannot carry them), plus the classics above.
hostile_text = st.one_of(st.sampled_from(NASTY), st.text(st.characters(exclude_categories=("Cs",)), max_size=300))
hostile_date = st.one_of(
    hostile_text,
    st.integers(min_value=1, max_value=9999).map(lambda year: f"{year:04d}-06-15 10:00"),
    st.sampled_from(["yesterday", "in 500 years", "0000-00-00", "31/02/2027", "tomorrow 25:99", "next Tuesday 9am"]),
)
interview_ref = st.one_of(hostile_text, st.integers(-(2**63), 2**63).map(str), st.sampled_from(["1", "2", "0", "-1"]))


def failed(result: InteractionResult) -> bool:
    return reply(result).startswith("❌")


def assert_private_and_silent(sandbox: Sandbox, result: InteractionResult) -> None:
    """Ephemeral, and the request that carried the reply (a callback, or a followup after a defer) pings nobody."""
    assert result.ephemeral, reply(result)
    replies = [
        r.json.get("data", r.json)
        for r in sandbox.requests
        if r.route.startswith(("POST /interactions/", "POST /webhooks/")) and isinstance(r.json, dict)
    ]
    payload = next(p for p in reversed(replies) if p.get("embeds") or p.get("content"))
    assert payload.get("allowed_mentions") == {"parse": []}, payload


@pytest.fixture
async def others(app: App, sandbox: Sandbox, omar: SandboxUser) -> SandboxUser:
    """Omar owns interview 1, which nobody else may touch."""
    await sandbox.slash(omar, "interview add", {"company": "Omar Co", "role": "PM", "when": "today 2pm"})
    return omar


@LIVE
@given(company=hostile_text, role=hostile_text, when=hostile_date, notes=st.none() | hostile_text)
async def test_interview_add(
    app: App, sandbox: Sandbox, maya: SandboxUser, company: str, role: str, when: str, notes: str | None
) -> None:
    options: dict[str, Any] = {"company": company, "role": role, "when": when}
    if notes is not None:
        options["notes"] = notes
    before = await dump(app.db)
    result = await sandbox.slash(maya, "interview add", options)
    assert_private_and_silent(sandbox, result)
    after = await dump(app.db)
    if failed(result):
        assert after == before
        return
    assert len(after["interviews"]) == len(before["interviews"]) + 1
    [summary, *_] = await app.interviews.list_interviews(actor(maya))
    assert summary.interview.company == text.clean(company)
    assert 0 < len(summary.interview.company) <= text.SHORT
    assert "@everyone" not in reply(result).replace("@\u200beveryone", "")  # shown, escaped, never live


@LIVE
@given(ref=interview_ref, check_back=hostile_date, decision=st.none() | hostile_date, rounds=st.none() | hostile_text)
async def test_interview_next(
    app: App,
    sandbox: Sandbox,
    maya: SandboxUser,
    others: SandboxUser,
    ref: str,
    check_back: str,
    decision: str | None,
    rounds: str | None,
) -> None:
    options: dict[str, Any] = {"interview": ref, "check_back": check_back}
    if decision is not None:
        options["decision"] = decision
    if rounds is not None:
        options["rounds"] = rounds
    before = await dump(app.db)
    result = await sandbox.slash(maya, "interview next", options)
    assert_private_and_silent(sandbox, result)
    assert failed(result)  # Maya has no interview: nothing can succeed
    assert "Omar Co" not in reply(result)
    assert await dump(app.db) == before


@LIVE
@given(
    command=st.sampled_from(["interview checkin", "interview outcome", "interview feedback"]),
    ref=interview_ref,
    words=hostile_text,
    when=st.none() | hostile_date,
)
async def test_other_interview_commands(
    app: App,
    sandbox: Sandbox,
    maya: SandboxUser,
    others: SandboxUser,
    command: str,
    ref: str,
    words: str,
    when: str | None,
) -> None:
    options: dict[str, Any] = {"interview": ref}
    if command == "interview checkin":
        options["update"] = words
        if when is not None:
            options["next_check_back"] = when
    elif command == "interview outcome":
        options |= {"result": "rejected", "notes": words}
    else:
        options["text"] = words
    before = await dump(app.db)
    result = await sandbox.slash(maya, command, options)
    assert_private_and_silent(sandbox, result)
    assert failed(result)
    assert "Omar Co" not in reply(result)
    assert await dump(app.db) == before


@LIVE
@given(zone=hostile_text, start=hostile_text, end=hostile_text)
async def test_settings(app: App, sandbox: Sandbox, maya: SandboxUser, zone: str, start: str, end: str) -> None:
    for command, options in (
        ("settings timezone", {"zone": zone}),
        ("settings quiet-hours", {"start": start, "end": end}),
    ):
        before = await dump(app.db)
        result = await sandbox.slash(maya, command, options)
        assert_private_and_silent(sandbox, result)
        if failed(result):
            assert await dump(app.db) == before


@LIVE
@given(typed=hostile_text)
async def test_autocomplete_never_reveals_others(
    app: App, sandbox: Sandbox, maya: SandboxUser, others: SandboxUser, typed: str
) -> None:
    for command in ("interview next", "interview checkin", "interview outcome", "interview feedback"):
        choices = await sandbox.autocomplete(maya, command, {"interview": typed}, focused="interview")
        assert choices == []


@LIVE
@given(name=hostile_text, code=hostile_text, message=hostile_text, at=hostile_text, group=hostile_text)
async def test_coach_commands(
    app: App,
    sandbox: Sandbox,
    maya: SandboxUser,
    others: SandboxUser,
    name: str,
    code: str,
    message: str,
    at: str,
    group: str,
) -> None:
    for command, options in (
        ("coach create", {"name": name}),
        ("coach join", {"code": code}),
        ("coach invite new", {"group": group}),
        ("coach roster", {"group": group}),
        ("coach export", {"group": group}),
        ("coach leave", {"group": group}),
        ("coach nudge", {"member": others, "message": message}),
        ("coach seeker", {"member": others}),
        ("coach remove", {"member": others, "group": group}),
        ("coach digest", {"day": "monday", "time": at}),
    ):
        before = await dump_all(app.db)
        result = await sandbox.slash(maya, command, options)
        assert_private_and_silent(sandbox, result)
        assert "Omar Co" not in reply(result)  # Omar never consented to Maya: nothing of his shows
        if failed(result):
            assert await dump_all(app.db) == before, command


@pytest.fixture
async def mine(app: App, sandbox: Sandbox, maya: SandboxUser) -> str:
    """An open interview of Maya's, so hostile dates reach the parser and the success path can run."""
    await sandbox.slash(maya, "interview add", {"company": "Acme", "role": "Analyst", "when": "today 2pm"})
    [summary] = await app.interviews.list_interviews(actor(maya))
    return str(summary.interview.id)


@LIVE
@given(check_back=st.none() | hostile_date, decision=st.none() | hostile_date, next_call=st.none() | hostile_date)
async def test_dates_for_your_own_interview(
    app: App,
    sandbox: Sandbox,
    maya: SandboxUser,
    mine: str,
    check_back: str | None,
    decision: str | None,
    next_call: str | None,
) -> None:
    now = app.bot.clock.now()
    answers: dict[str, Any] = {"interview": mine}
    answers |= {k: v for k, v in (("check_back", check_back), ("decision", decision)) if v is not None}
    call: dict[str, Any] = {"interview": mine, "update": "Delayed"}
    call |= {"next_check_back": next_call} if next_call is not None else {}
    for command, options in (("interview next", answers), ("interview checkin", call)):
        before = await dump(app.db)
        result = await sandbox.slash(maya, command, options)
        assert_private_and_silent(sandbox, result)
        if failed(result):
            assert await dump(app.db) == before, command
            continue
        calls = [
            f.follow_up
            for f in await app.follow_ups.open_follow_ups(actor(maya))
            if f.follow_up.kind.value == "check_in" and f.follow_up.status.value == "pending"
        ]
        assert len(calls) == 1  # exactly one next call, replacing the one before
        assert calls[0].due_at >= now and calls[0].due_at.weekday() < 5  # ahead, on a business day
