"""Cleaning what users type: dangerous invisible characters go, the ones writing needs stay."""

from __future__ import annotations

import pytest

from bot.domain import text
from bot.domain.errors import InvalidInput

TECHNOLOGIST = "\U0001f469\u200d\U0001f4bb"  # 👩‍💻: woman + ZWJ + laptop
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"


@pytest.mark.parametrize(
    "typed",
    [
        f"Acme {TECHNOLOGIST} team",
        "می\u200cخواهم",  # Persian "I want": the ZWNJ keeps the prefix unjoined
        "\u0915\u094d\u200d\u0937",  # Devanagari with a ZWJ (half form)
        "I \u2764\ufe0f it",  # a variation selector asks for the emoji form
        f"Glasgow {SCOTLAND}",
    ],
)
def test_joiners_selectors_and_flags_survive(typed: str) -> None:
    assert text.clean(typed) == typed


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("\u202eevil\u202c", "evil"),  # bidi override
        ("\u2066isolated\u2069", "isolated"),  # bidi isolate
        ("zero\u200bwidth", "zerowidth"),
        ("\ufeffBOM", "BOM"),
        ("bell\x07", "bell"),
        ("hidden\U000e0041\U000e0042", "hidden"),  # tag letters outside a flag smuggle invisible text
        ("\u200d", ""),  # only joiners: nothing to see, so nothing was typed
        ("\u200c \u200d\ufe0f", ""),
    ],
)
def test_dangerous_characters_go(typed: str, cleaned: str) -> None:
    assert text.clean(typed) == cleaned


def test_a_lone_joiner_is_empty_input() -> None:
    with pytest.raises(InvalidInput, match="company can't be empty"):
        text.required("\u200d", "company", text.SHORT)


@pytest.mark.parametrize("what", ["notes", "further interviews", "company"])
def test_limit_messages_read_right_for_singular_and_plural_names(what: str) -> None:
    with pytest.raises(InvalidInput) as too_long:
        text.optional("n" * 4000, what, text.LONG)
    assert too_long.value.message == (
        f"The {what} can't be longer than 1000 characters; you typed 4000. Please shorten the {what}."
    )
    with pytest.raises(InvalidInput) as empty:
        text.required(" ", what, text.LONG)
    assert empty.value.message == f"The {what} can't be empty. Please type the {what}."
    for message in (too_long.value.message, empty.value.message):
        assert f"{what} is " not in message
