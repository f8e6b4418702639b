"""Errors of the HTTP service and the handlers that turn every error into the error JSON.

Every error response has the body ``{"error": {"code": "RRnnn", "message": "..."}}``. Codes
``RR1xx`` are the notice checks shared with the Python API and the command line
(:mod:`retraction_reasons.validation`); ``RR41x`` are errors of the request itself; ``RR500``
is an unexpected failure of the server, whose details go to the server's log, never to the
client.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import NoticeError, RetractionReasonsError

__all__ = [
    "RequestError",
    "MalformedJSONError",
    "InvalidRequestError",
    "BatchTooLargeError",
    "BodyTooLargeError",
    "NoSuchEndpointError",
    "error_body",
    "error_response",
    "install_error_handlers",
]

logger = logging.getLogger("retraction_reasons.server")

_CODE_PREFIX = re.compile(r"^\[RR\d{3}\] ")

#: HTTP status of each kind of notice error (see ``NoticeError.kind``). A text over its limit is
#: 422, not 413: the request is within the body limit, one of its values is not acceptable.
NOTICE_ERROR_STATUS = {"empty": 422, "not_text": 422, "too_long": 422}


class RequestError(RetractionReasonsError):
    """A request the service refuses; ``status`` is its HTTP status."""

    code = "RR410"
    status = 400


class MalformedJSONError(RequestError):
    code = "RR410"
    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(f"the request body is not valid JSON ({detail}): send a JSON object "
                         'such as {"text": "..."} with Content-Type: application/json.')


class InvalidRequestError(RequestError):
    code = "RR411"
    status = 422

    def __init__(self, detail: str) -> None:
        super().__init__(f"{detail}. See /docs for the request schema.")


class BatchTooLargeError(RequestError):
    code = "RR412"
    status = 422

    def __init__(self, n_texts: int | None, limit: int) -> None:
        got = f"{n_texts:,} texts" if n_texts is not None else "more texts"
        super().__init__(f"a batch holds at most {limit} texts and this one has {got}: "
                         f"split it into requests of {limit} or fewer.")


class BodyTooLargeError(RequestError):
    code = "RR413"
    status = 413

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(f"the request body is larger than {limit_bytes:,} bytes: send fewer or "
                         "shorter notices per request (a notice is a few paragraphs).")


class NoSuchEndpointError(RequestError):
    code = "RR414"

    def __init__(self, status: int, method: str, path: str) -> None:
        self.status = status
        what = "no such endpoint" if status == 404 else f"{method} is not allowed here"
        super().__init__(f"{what}: {method} {path}. The endpoints are listed at /docs.")


def message_of(err: RetractionReasonsError) -> str:
    """The message of an error without its ``[RRnnn]`` prefix (the code is a field of its own)."""
    return _CODE_PREFIX.sub("", str(err), count=1)


def error_body(code: str, message: str) -> dict[str, Any]:
    """The JSON body of every error response."""
    return {"error": {"code": code, "message": message}}


def error_response(status: int, err: RetractionReasonsError, headers: dict[str, str] | None = None) -> JSONResponse:
    """The error response of ``err`` with ``status``."""
    return JSONResponse(error_body(err.code, message_of(err)), status_code=status, headers=headers)


def _location(loc: Sequence[Any]) -> str:
    """``("body", "texts", 3)`` -> ``texts[3]``."""
    parts = [part for part in loc if part != "body"]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the request body"


def request_error_of(exc: RequestValidationError, batch_limit: int) -> RequestError:
    """The :class:`RequestError` of a FastAPI validation error (input values are not echoed:
    a notice can be a megabyte long)."""
    errors = exc.errors()
    for error in errors:
        if error.get("type") == "json_invalid":
            return MalformedJSONError(str(error.get("ctx", {}).get("error", "JSON decode error")))
    for error in errors:
        if error.get("type") == "too_long" and tuple(error.get("loc", ())) == ("body", "texts"):
            return BatchTooLargeError(error.get("ctx", {}).get("actual_length"), batch_limit)
    first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
    where = _location(first.get("loc", ()))
    if first.get("type") == "missing" and where == "the request body":
        detail = 'the request has no JSON body: send e.g. {"text": "..."} with Content-Type: application/json'
    elif first.get("type") in ("model_attributes_type", "dict_type"):
        detail = ("the request body is not a JSON object: send e.g. {\"text\": \"...\"} with "
                  "Content-Type: application/json")
    else:
        detail = f"{where}: {first.get('msg', 'invalid value')}"
    more = len(errors) - 1
    if more > 0:
        detail += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InvalidRequestError(detail)


def install_error_handlers(app: FastAPI, *, batch_limit: int) -> None:
    """Make every error, expected or not, an error JSON response without a stack trace."""

    async def on_notice_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NoticeError)
        return error_response(NOTICE_ERROR_STATUS.get(exc.kind, 422), exc)

    async def on_request_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestError)
        return error_response(exc.status, exc)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        err = request_error_of(exc, batch_limit)
        return error_response(err.status, err)

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        if exc.status_code in (404, 405):
            err: RequestError = NoSuchEndpointError(exc.status_code, request.method, request.url.path)
        else:
            err = RequestError(str(exc.detail))
            err.status = exc.status_code
        return error_response(exc.status_code, err, headers=headers or None)

    async def on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # Starlette logs the traceback after this handler; the client only learns that it failed.
        return JSONResponse(
            error_body("RR500", "the server failed to process this request; the details are in "
                                "the server's log. Please report it if it happens again."),
            status_code=500)

    app.add_exception_handler(NoticeError, on_notice_error)
    app.add_exception_handler(RequestError, on_request_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
