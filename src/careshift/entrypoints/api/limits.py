"""Refuse a request body over the configured size before reading it into memory.

Starlette parses URL-encoded forms and JSON bodies whole; without a cap, one oversized POST
would be held in memory before any handler could refuse it. Pure ASGI, so it also counts a
body sent without Content-Length (chunked) and stops reading once the limit is passed.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careshift.entrypoints.api.problems import PROBLEM_JSON

__all__ = ["RequestSizeLimit"]


class RequestSizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen = 0
        over = started = False

        async def counted_receive() -> Message:
            # Past the limit the app is told the client went away: whatever it makes of that
            # (FastAPI answers 400) is replaced by the 413 below.
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes and not started:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if over:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except Exception:
            if not over:
                raise
        if over:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        limit = f"{self.max_bytes / 1_000_000:g} MB"
        detail = f"the request body is larger than the {limit} this server accepts"
        if str(scope.get("path", "")).startswith("/api/"):
            body = json.dumps(
                {
                    "type": "about:blank",
                    "title": "Request too large",
                    "status": 413,
                    "detail": detail,
                    "instance": scope.get("path", ""),
                }
            ).encode()
            content_type = PROBLEM_JSON.encode()
        else:
            body = (
                "<!doctype html><meta charset=utf-8><title>Too large</title>"
                f"<h1>Too large</h1><p>The upload is larger than the {limit} this server "
                "accepts. Split it into smaller files.</p><p><a href=/>careshift</a></p>"
            ).encode()
            content_type = b"text/html; charset=utf-8"
        headers = [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
