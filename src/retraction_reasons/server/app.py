"""The FastAPI application: ``create_app(model_dir)`` builds it, one model per worker process.

The model folder comes only from the factory's argument (the ``serve`` command line), never
from a request. It is loaded once, when the worker starts (the lifespan), and used through a
:class:`~retraction_reasons.server.runner.ModelRunner`, which classifies off the event loop.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, AsyncIterator

import anyio
import anyio.to_thread
from fastapi import Body, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse

from .. import __version__, _resources
from ..api import load
from ..validation import MAX_NOTICE_CHARS
from .errors import install_error_handlers
from .limits import MAX_BODY_BYTES, BodySizeLimit
from .runner import ModelRunner
from .schemas import (
    MAX_BATCH_TEXTS,
    BatchRequest,
    ClassifyRequest,
    ClassifyResponse,
    ErrorResponse,
    HealthResponse,
    ModelInfoResponse,
)

__all__ = ["create_app", "app_from_environment", "MODEL_DIR_ENV"]

#: Environment variable through which ``serve --workers N`` passes the model folder to the
#: worker processes (uvicorn starts them from an import string, not from an app object).
MODEL_DIR_ENV = "RETRACTION_REASONS_SERVE_MODEL"

_EXAMPLE_FILES = ("image_duplication.txt", "plagiarism.txt")
_FALLBACK_EXAMPLE = ("Retraction: This article has been retracted at the request of the authors "
                     "because an error in the analysis invalidates the results.")


def _example_notices() -> list[str]:
    """Self-written example notices (data/examples) for the OpenAPI docs and the web page."""
    examples = []
    for name in _EXAMPLE_FILES:
        path = _resources.data_dir() / "examples" / name
        if path.is_file():
            examples.append(path.read_text(encoding="utf-8").strip())
    return examples or [_FALLBACK_EXAMPLE]


@lru_cache(maxsize=1)
def _page_template() -> str:
    return resources.files(__package__).joinpath("static/index.html").read_text(encoding="utf-8")


def _inline_hashes(page: str, tag: str) -> list[str]:
    return ["'sha256-" + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode() + "'"
            for block in re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.S)]


def build_page(example: str) -> tuple[str, dict[str, str]]:
    """The web page (one self-contained HTML file) and its security headers.

    The content security policy allows only the page's own inline script and style (by hash)
    and requests to this server: nothing is fetched from elsewhere.
    """
    page = _page_template().replace("{{EXAMPLE_NOTICE}}", html.escape(example, quote=True))
    policy = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(_inline_hashes(page, "script")),
        "style-src " + " ".join(_inline_hashes(page, "style")),
        "connect-src 'self'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])
    headers = {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}
    return page, headers


def _runner(request: Request) -> ModelRunner:
    return request.app.state.runner


Runner = Annotated[ModelRunner, Depends(_runner)]

EXAMPLES = _example_notices()

# Module-level aliases: FastAPI resolves the (string) annotations of the endpoints in this
# module's namespace.
SingleNotice = Annotated[ClassifyRequest, Body(openapi_examples={
    f"example{number}": {"summary": "A short example notice (written for this project)", "value": {"text": text}}
    for number, text in enumerate(EXAMPLES, start=1)})]
NoticeBatch = Annotated[BatchRequest, Body(openapi_examples={
    "examples": {"summary": "Short example notices (written for this project)", "value": {"texts": EXAMPLES}}})]

_ERRORS_OF_A_TEXT = {
    400: {"model": ErrorResponse, "description": "The body is not valid JSON (RR410)."},
    413: {"model": ErrorResponse, "description": f"The body is over {MAX_BODY_BYTES:,} bytes (RR413)."},
    422: {"model": ErrorResponse, "description": f"A text is empty (RR101), not text (RR102) or over "
                                                 f"{MAX_NOTICE_CHARS:,} characters (RR103); a batch has over "
                                                 f"{MAX_BATCH_TEXTS} texts (RR412); or the body does not match "
                                                 "the schema (RR411)."},
}


def create_app(model_dir: str | Path | None = None) -> FastAPI:
    """The HTTP service for the model in ``model_dir`` (default: the shipped model).

    The model is loaded when the application starts (its lifespan), once per worker process.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        nlp = await anyio.to_thread.run_sync(load, model_dir)
        runner = ModelRunner(nlp)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(runner.run)
            app.state.runner = runner
            yield
            # Shutdown comes after the server has let the requests in flight finish.
            tasks.cancel_scope.cancel()

    app = FastAPI(
        title="retraction-reasons",
        version=__version__,
        summary="Why was this paper retracted? The notice type, the reasons with their evidence "
                "sentences, and the entities of a retraction notice.",
        description=(
            "Send the text of a retraction notice, get back what `retraction_reasons.classify(text)"
            ".to_dict()` gives in Python. Limits: a request body of at most "
            f"{MAX_BODY_BYTES:,} bytes, a text of at most {MAX_NOTICE_CHARS:,} characters, a batch of at most "
            f"{MAX_BATCH_TEXTS} texts. Every error has the body `{{\"error\": {{\"code\", \"message\"}}}}`. "
            "The examples are short notices written by the developers, not real notices."),
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    install_error_handlers(app, batch_limit=MAX_BATCH_TEXTS)
    page, page_headers = build_page(EXAMPLES[0])

    @app.get("/", include_in_schema=False)
    async def web_page() -> HTMLResponse:
        return HTMLResponse(page, headers=page_headers)

    @app.get("/v1/health", response_model=HealthResponse, tags=["service"],
             summary="Is the service up, and which model does it run")
    async def health(runner: Runner) -> JSONResponse:
        return JSONResponse({"status": "ok", "model": runner.stamp})

    @app.get("/v1/model", response_model=ModelInfoResponse, tags=["service"],
             summary="The model: name, version, labels, thresholds, cross-validated metrics")
    async def model(runner: Runner) -> JSONResponse:
        return JSONResponse(runner.info)

    @app.post("/v1/classify", response_model=ClassifyResponse, responses=_ERRORS_OF_A_TEXT,
              tags=["classify"], summary="Classify one notice")
    async def classify_one(runner: Runner, payload: SingleNotice) -> JSONResponse:
        return JSONResponse(await runner.classify(payload.text))

    @app.post("/v1/classify/batch", response_model=list[ClassifyResponse], responses=_ERRORS_OF_A_TEXT,
              tags=["classify"], summary=f"Classify up to {MAX_BATCH_TEXTS} notices; results in input order")
    async def classify_batch(runner: Runner, payload: NoticeBatch) -> JSONResponse:
        return JSONResponse(await runner.classify_batch(payload.texts))

    return app


def app_from_environment() -> FastAPI:
    """The factory uvicorn's worker processes call: the model folder is ``$RETRACTION_REASONS_SERVE_MODEL``
    (set by ``retraction-reasons serve``), or the shipped model where it is unset."""
    return create_app(os.environ.get(MODEL_DIR_ENV) or None)
