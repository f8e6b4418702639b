"""The request size limit: a small ASGI middleware in front of the application.

It refuses a body whose ``Content-Length`` is over the limit before reading it, and counts the
bytes of bodies sent without a length (chunked), so that no request makes the server hold more
than the limit in memory. The body read is handed on to the application unchanged.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, MutableMapping

from .errors import BodyTooLargeError, InvalidRequestError, RequestError, error_response

__all__ = ["MAX_BODY_BYTES", "BodySizeLimit"]

#: The largest request body accepted (bytes): a batch of a few hundred real notices fits.
MAX_BODY_BYTES = 2 * 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodySizeLimit:
    """ASGI middleware: 413 with the error JSON for a request body over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            declared = _content_length(scope)
        except InvalidRequestError as err:
            await self._refuse(err, scope, receive, send)
            return
        if declared is not None and declared > self.max_bytes:
            await self._refuse(BodyTooLargeError(self.max_bytes), scope, receive, send)
            return
        # Read the body here, counting, so that an over-long chunked body is cut off early.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # client went away: let the app see it
                await self.app(scope, _replay([], message, receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(BodyTooLargeError(self.max_bytes), scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(chunks, None, receive), send)

    @staticmethod
    async def _refuse(err: RequestError, scope: Scope, receive: Receive, send: Send) -> None:
        # Connection: close, since the rest of the body is not read.
        response = error_response(err.status, err, headers={"Connection": "close"})
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = -1
            if length < 0:
                raise InvalidRequestError("the Content-Length header is not a number of bytes")
            return length
    return None


def _replay(chunks: list[bytes], last: Message | None, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read as one message, then defers to ``receive``."""
    pending: list[Message] = [last] if last is not None else [
        {"type": "http.request", "body": b"".join(chunks), "more_body": False}]

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
