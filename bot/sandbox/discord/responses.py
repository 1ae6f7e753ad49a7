"""HTTP plumbing shared by the REST routes: Discord-shaped JSON responses and request bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web
from aiohttp.typedefs import Handler

Routes = Sequence[tuple[str, str, Handler]]
"""(method, path, handler) triples."""


def json_response(data: object, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json``.

    discord.py compares the header verbatim; aiohttp's ``json_response`` appends ``; charset=utf-8`` and would
    make the client treat every body as plain text.
    """
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def error_response(status: int, code: int, message: str, *, headers: Mapping[str, str] | None = None) -> web.Response:
    return json_response({"message": message, "code": code}, status=status, headers=headers)


def no_content(headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(status=204, headers=headers)


@dataclass(frozen=True)
class UploadedFile:
    field: str
    filename: str
    content: bytes
    content_type: str | None


@dataclass(frozen=True)
class RequestBody:
    """A request's JSON (from a JSON body or a multipart ``payload_json`` part) and its uploaded files."""

    json: Any = None
    files: list[UploadedFile] = field(default_factory=list)

    def object(self) -> dict[str, Any]:
        return self.json if isinstance(self.json, dict) else {}


async def read_body(request: web.Request) -> RequestBody:
    if not request.body_exists:
        return RequestBody()
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: list[UploadedFile] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read(decode=True)
            if part.name == "payload_json":
                payload = json.loads(data)
            elif part.filename is not None:
                content_type = part.headers.get("Content-Type")
                files.append(UploadedFile(part.name or "", part.filename, bytes(data), content_type))
        return RequestBody(payload, files)
    raw = await request.read()
    return RequestBody(json.loads(raw) if raw else None)


class HttpError(Exception):
    """Raised by a route handler to answer with a Discord error body."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def unknown(what: str, code: int) -> HttpError:
    return HttpError(404, code, f"Unknown {what}")


BODY = web.RequestKey("body", RequestBody)
"""The parsed request body, read once by the middleware."""
WRITTEN = web.RequestKey("written", list[int])
"""Ids of the messages and interactions a request changed, marked settled once its response is written."""
