"""Block Kit checks the local Slack applies, with Slack's limits and its json-pointer error messages.

Not every rule of Block Kit: the limits an app most often trips (counts, text lengths, ids) and the
shapes the bot's renderer produces. Each problem reads like Slack's: ``must be less than 3001 characters
[json-pointer:/blocks/0/text/text]``.
"""

from __future__ import annotations

from typing import Any

from .world import JSON

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_ID = 255
MAX_PRIVATE_METADATA = 3000
MAX_VIEW_TITLE = 24
_BLOCK_TYPES = {"section", "actions", "context", "divider", "header", "input", "image", "rich_text", "markdown"}
_INPUT_ELEMENTS = {
    "plain_text_input",
    "number_input",
    "email_text_input",
    "url_text_input",
    "static_select",
    "multi_static_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "checkboxes",
    "radio_buttons",
    "rich_text_input",
}
_ACTION_ELEMENTS = _INPUT_ELEMENTS | {"button", "overflow"}


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str, pointer: str) -> None:
        self.items.append(f"{message} [json-pointer:{pointer}]")

    def length(self, value: Any, limit: int, pointer: str, *, minimum: int = 1) -> None:
        if not isinstance(value, str):
            self.add("must be a string", pointer)
        elif len(value) > limit:
            self.add(f"must be less than {limit + 1} characters", pointer)
        elif len(value) < minimum:
            self.add(f"must be more than {minimum - 1} characters", pointer)


def text_object(problems: Problems, obj: Any, pointer: str, limit: int, *, plain_only: bool = False) -> None:
    if not isinstance(obj, dict):
        problems.add("must be an object", pointer)
        return
    kinds = {"plain_text"} if plain_only else {"plain_text", "mrkdwn"}
    if obj.get("type") not in kinds:
        problems.add(f"must be one of {sorted(kinds)}", f"{pointer}/type")
    problems.length(obj.get("text"), limit, f"{pointer}/text")


def _confirm(problems: Problems, confirm: JSON, pointer: str) -> None:
    text_object(problems, confirm.get("title"), f"{pointer}/title", 100, plain_only=True)
    text_object(problems, confirm.get("text"), f"{pointer}/text", 300)
    text_object(problems, confirm.get("confirm"), f"{pointer}/confirm", 30, plain_only=True)
    text_object(problems, confirm.get("deny"), f"{pointer}/deny", 30, plain_only=True)


def _options(problems: Problems, options: Any, pointer: str) -> None:
    if not isinstance(options, list) or not 1 <= len(options) <= 100:
        problems.add("must provide between 1 and 100 options", pointer)
        return
    for i, option in enumerate(options):
        text_object(problems, option.get("text"), f"{pointer}/{i}/text", 75)
        problems.length(option.get("value"), 150, f"{pointer}/{i}/value")


def element(problems: Problems, el: Any, pointer: str, *, allowed: set[str]) -> None:
    if not isinstance(el, dict) or el.get("type") not in allowed:
        problems.add(f"must be one of {sorted(allowed)}", f"{pointer}/type")
        return
    if "action_id" in el:
        problems.length(el["action_id"], MAX_ID, f"{pointer}/action_id")
    kind = el["type"]
    if kind == "button":
        text_object(problems, el.get("text"), f"{pointer}/text", 75, plain_only=True)
        if "value" in el:
            problems.length(el["value"], 2000, f"{pointer}/value")
        if "url" in el:
            problems.length(el["url"], 3000, f"{pointer}/url")
        if el.get("style") not in (None, "primary", "danger"):
            problems.add("must be one of ['danger', 'primary']", f"{pointer}/style")
    if kind in {"static_select", "multi_static_select", "checkboxes", "radio_buttons", "overflow"}:
        if "option_groups" not in el:
            _options(problems, el.get("options"), f"{pointer}/options")
        initial = el.get("initial_option")
        if initial is not None and initial not in el.get("options", []):
            problems.add("must match one of the options", f"{pointer}/initial_option")
    if "placeholder" in el:
        text_object(problems, el["placeholder"], f"{pointer}/placeholder", 150, plain_only=True)
    if "confirm" in el:
        _confirm(problems, el["confirm"], f"{pointer}/confirm")
    if kind == "plain_text_input":
        top = el.get("max_length", 3000)
        if "initial_value" in el:
            problems.length(el["initial_value"], top, f"{pointer}/initial_value", minimum=0)


def _block(problems: Problems, block: Any, pointer: str) -> None:
    if not isinstance(block, dict) or block.get("type") not in _BLOCK_TYPES:
        problems.add(f"must be one of {sorted(_BLOCK_TYPES)}", f"{pointer}/type")
        return
    if "block_id" in block:
        problems.length(block["block_id"], MAX_ID, f"{pointer}/block_id")
    kind = block["type"]
    if kind == "section":
        if "text" not in block and "fields" not in block:
            problems.add("must provide text or fields", pointer)
        if "text" in block:
            text_object(problems, block["text"], f"{pointer}/text", 3000)
        fields = block.get("fields", [])
        if len(fields) > 10:
            problems.add("must provide no more than 10 items", f"{pointer}/fields")
        for i, item in enumerate(fields):
            text_object(problems, item, f"{pointer}/fields/{i}", 2000)
        if "accessory" in block:
            element(problems, block["accessory"], f"{pointer}/accessory", allowed=_ACTION_ELEMENTS | {"image"})
    elif kind == "header":
        text_object(problems, block.get("text"), f"{pointer}/text", 150, plain_only=True)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
            problems.add("must provide between 1 and 25 items", f"{pointer}/elements")
        else:
            for i, el in enumerate(elements):
                element(problems, el, f"{pointer}/elements/{i}", allowed=_ACTION_ELEMENTS)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
            problems.add("must provide between 1 and 10 items", f"{pointer}/elements")
        else:
            for i, el in enumerate(elements):
                if el.get("type") != "image":
                    text_object(problems, el, f"{pointer}/elements/{i}", 3000)
    elif kind == "input":
        text_object(problems, block.get("label"), f"{pointer}/label", 2000, plain_only=True)
        if "hint" in block:
            text_object(problems, block["hint"], f"{pointer}/hint", 2000, plain_only=True)
        element(problems, block.get("element"), f"{pointer}/element", allowed=_INPUT_ELEMENTS)


def blocks(problems: Problems, items: Any, pointer: str, limit: int) -> None:
    if not isinstance(items, list):
        problems.add("must be an array", pointer)
        return
    if len(items) > limit:
        problems.add(f"must provide no more than {limit} items", pointer)
    seen: set[str] = set()
    for i, block in enumerate(items):
        _block(problems, block, f"{pointer}/{i}")
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if block_id in seen:
                problems.add(f"non-unique block_id {block_id!r}", f"{pointer}/{i}/block_id")
            seen.add(block_id)


def message_problems(items: list[JSON]) -> list[str]:
    problems = Problems()
    blocks(problems, items, "/blocks", MAX_MESSAGE_BLOCKS)
    return problems.items


def view_problems(view: JSON) -> list[str]:
    problems = Problems()
    kind = view.get("type")
    if kind not in ("modal", "home"):
        problems.add("must be one of ['home', 'modal']", "/view/type")
    if kind == "modal":
        text_object(problems, view.get("title"), "/view/title", MAX_VIEW_TITLE, plain_only=True)
        for button in ("submit", "close"):
            if button in view:
                text_object(problems, view[button], f"/view/{button}", MAX_VIEW_TITLE, plain_only=True)
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks", []))
        if has_input and "submit" not in view:
            problems.add("must provide submit when the view has input blocks", "/view/submit")
    if "callback_id" in view:
        problems.length(view["callback_id"], MAX_ID, "/view/callback_id", minimum=0)
    if "private_metadata" in view:
        problems.length(view["private_metadata"], MAX_PRIVATE_METADATA, "/view/private_metadata", minimum=0)
    if "external_id" in view:
        problems.length(view["external_id"], MAX_ID, "/view/external_id")
    blocks(problems, view.get("blocks", []), "/view/blocks", MAX_VIEW_BLOCKS)
    return problems.items


def metadata_problems(metadata: Any) -> list[str]:
    """Message metadata must be ``{"event_type": str, "event_payload": object}``."""
    problems = Problems()
    if not isinstance(metadata, dict):
        problems.add("must be an object", "/metadata")
        return problems.items
    problems.length(metadata.get("event_type"), MAX_ID, "/metadata/event_type")
    if not isinstance(metadata.get("event_payload"), dict):
        problems.add("must be an object", "/metadata/event_payload")
    return problems.items
