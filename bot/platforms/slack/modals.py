"""A content Form as a Slack modal (the `view` of views.open), its answers read back from a view_submission,
and the ack that shows a bad answer under its field. Each input's block_id and action_id are the Input's key;
private_metadata carries what the form is about (JSON), since a modal outlives the click that opened it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement, PlainTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.content.message import Form, Input
from bot.content.notices import BAD_OPTION
from bot.domain.errors import InvalidInput
from bot.platforms.slack.render import PLACEHOLDER, SECTION, clip

TITLE = 24  # a modal's title, and its buttons'
LABEL = 2000
INPUT = 3000  # the most a plain_text_input takes
SUBMIT, CLOSE = "Save", "Cancel"

Context = Mapping[str, str | int]


def _title(form: Form) -> tuple[str, str]:
    """Slack's 24-character title, and what did not fit to show above the inputs: "Check-in call: Acme: Analyst"
    is titled "Check-in call" with "Acme: Analyst" under it."""
    if len(form.title) <= TITLE:
        return form.title, ""
    head, colon, rest = form.title.partition(": ")
    if colon and len(head) <= TITLE:
        return head, rest
    return clip(form.title, TITLE), form.title


def _input(question: Input) -> InputBlock:
    return InputBlock(
        block_id=question.key,
        label=PlainTextObject(text=clip(question.label, LABEL)),
        optional=not question.required,
        element=PlainTextInputElement(
            action_id=question.key,
            placeholder=PlainTextObject(text=clip(question.placeholder, PLACEHOLDER)),
            multiline=question.long or None,
            max_length=min(question.limit, INPUT),
        ),
    )


def modal(form: Form, callback_id: str, context: Context, lead: Sequence[Block] = ()) -> dict[str, Any]:
    """The form as a modal view; `callback_id` names the form for the view_submission listener, `context`
    (ids, never a user's words) comes back with the submission. `lead`: blocks above the form's (a select)."""
    title, about = _title(form)
    blocks: list[Block] = list(lead)
    blocks += [SectionBlock(text=PlainTextObject(text=clip(about, SECTION)))] if about else []
    blocks += [_input(question) for question in form.inputs]
    return View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=title),
        submit=PlainTextObject(text=SUBMIT),
        close=PlainTextObject(text=CLOSE),
        private_metadata=json.dumps(dict(context), separators=(",", ":")),
        blocks=blocks,
    ).to_dict()


def answers(form: Form, view: Mapping[str, Any]) -> dict[str, str]:
    """Each input's answer from a view_submission's `view`, by key; an optional one left empty is ""."""
    values: Mapping[str, Any] = view.get("state", {}).get("values", {})
    return {q.key: values.get(q.key, {}).get(q.key, {}).get("value") or "" for q in form.inputs}


def context(view: Mapping[str, Any]) -> dict[str, Any]:
    """The context the modal was opened with."""
    try:
        read = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError as exc:
        raise InvalidInput(BAD_OPTION) from exc
    if not isinstance(read, dict):
        raise InvalidInput(BAD_OPTION)
    return read


def errors(form: Form, problems: Mapping[str, str]) -> dict[str, Any]:
    """The view_submission ack that keeps the modal open and shows each problem under its input (nothing was
    written: the core refused before writing)."""
    keys = {q.key for q in form.inputs}
    unknown = set(problems) - keys
    if unknown:
        raise ValueError(f"not inputs of {form.title!r}: {sorted(unknown)}")
    return {"response_action": "errors", "errors": dict(problems)}
