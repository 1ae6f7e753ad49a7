"""Content forms as Slack modals: valid views, answers read back from a view_submission as Slack sends it, and
a bad answer shown under its own field."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.content import interviews, preferences
from bot.content.message import Form, Input
from bot.domain.errors import InvalidInput
from bot.platforms.slack import modals

FORMS = {
    "log_call": interviews.log_call_form("Acme: Analyst"),
    "feedback": interviews.feedback_form("<!channel> & Co: " + "r" * 300),
    "next_steps": interviews.next_steps_form("Acme: Analyst"),
    "edit": interviews.edit_form("Acme: Analyst"),
    "zone": preferences.zone_form(),
}


def submission(view: dict[str, Any], typed: dict[str, str | None]) -> dict[str, Any]:
    """A view_submission body as Slack sends it: the view as opened, with each input's state (None: left empty)."""
    values = {key: {key: {"type": "plain_text_input", "value": value}} for key, value in typed.items()}
    opened = {**view, "id": "V1", "team_id": "T0TEAM", "state": {"values": values}, "hash": "1.a", "app_id": "A0APP"}
    return {"type": "view_submission", "team": {"id": "T0TEAM"}, "user": {"id": "U0ALICE01"}, "view": opened}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_form_is_a_valid_modal_with_an_input_per_question(name: str) -> None:
    form = FORMS[name]
    view = modals.modal(form, f"ft:{name}", {"interview": 12})
    assert View(**view).to_dict() == view  # slack_sdk's checks: title, buttons, blocks, metadata
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [(b["block_id"], b["element"]["action_id"]) for b in inputs] == [(q.key, q.key) for q in form.inputs]
    for block, question in zip(inputs, form.inputs, strict=True):
        assert block.get("optional", False) is not question.required
        assert block["element"]["max_length"] == question.limit
        assert block["element"].get("multiline", False) is question.long


def test_a_long_title_is_slacks_short_one_with_the_rest_shown_above_the_inputs() -> None:
    view = modals.modal(FORMS["log_call"], "ft:log_call", {})
    assert view["title"]["text"] == "Check-in call"
    assert view["blocks"][0] == {"type": "section", "text": {"type": "plain_text", "text": "Acme: Analyst"}}
    short = modals.modal(FORMS["zone"], "ft:zone", {})
    assert short["title"]["text"] == "Your time zone" and short["blocks"][0]["type"] == "input"
    odd = modals.modal(Form("A" * 40, (Input("k", "K", "k"),)), "ft:k", {})
    assert odd["title"]["text"] == "A" * 23 + "…" and odd["blocks"][0]["text"]["text"] == "A" * 40


def test_answers_and_context_come_back_from_a_view_submission() -> None:
    form = FORMS["next_steps"]
    view = modals.modal(form, "ft:next_steps", {"interview": 12, "listing": "everything"})
    body = submission(view, {"check_back": "next Tuesday 10am", "candidates": "3", "decision": None})
    assert modals.answers(form, body["view"]) == {
        "check_back": "next Tuesday 10am",
        "candidates": "3",
        "decision": "",  # left empty
        "rounds": "",  # not in the state at all
    }
    assert modals.context(body["view"]) == {"interview": 12, "listing": "everything"}
    assert body["view"]["callback_id"] == "ft:next_steps"


@pytest.mark.parametrize("metadata", ["not json", "[1, 2]"])
def test_a_context_the_bot_did_not_write_is_refused(metadata: str) -> None:
    with pytest.raises(InvalidInput):
        modals.context({"private_metadata": metadata})


def test_a_bad_answer_is_shown_under_its_field() -> None:
    form = FORMS["next_steps"]
    ack = modals.errors(form, {"candidates": interviews.CANDIDATES_NOT_A_NUMBER})
    assert ack == {"response_action": "errors", "errors": {"candidates": interviews.CANDIDATES_NOT_A_NUMBER}}
    view = modals.modal(form, "ft:next_steps", {})
    assert "candidates" in {b.get("block_id") for b in view["blocks"]}  # Slack puts it under that block
    with pytest.raises(ValueError, match="when"):
        modals.errors(form, {"when": "no such field"})
