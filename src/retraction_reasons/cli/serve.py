"""``retraction-reasons serve``: the HTTP service and web page (needs the ``api`` extra)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from ..errors import RetractionReasonsError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the HTTP service and the web page (pip install 'retraction-reasons[api]')",
        description="Serve POST /v1/classify, POST /v1/classify/batch, GET /v1/health, GET /v1/model, "
                    "the API docs at /docs and a web page at /. Stop it with Ctrl+C or SIGTERM: "
                    "requests in progress are finished first.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; the service "
                             "has no authentication, so put it behind a proxy before opening it up)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--model", type=Path, help="a model folder (default: the shipped model)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes, each with its own copy of the model (default: 1; "
                             "about one per CPU core for throughput)")
    parser.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
                        help="uvicorn's log level (default: info)")
    parser.set_defaults(handler=run)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from ..server import MODEL_DIR_ENV, create_app
    except ImportError as err:
        raise RetractionReasonsError(
            f"the HTTP service needs FastAPI and uvicorn ({err.name} is missing): "
            "pip install 'retraction-reasons[api]'.") from err
    from .. import _resources
    from ..api import load
    from ..errors import ModelNotFoundError
    from ..model_io import verify_manifest

    if args.workers < 1:
        raise RetractionReasonsError(f"--workers must be 1 or more, not {args.workers}.")
    if not 0 <= args.port <= 65535:
        raise RetractionReasonsError(f"--port must be between 0 and 65535, not {args.port}.")
    # A wrong model folder fails here, with its message, before any worker starts. With one
    # worker the model loaded here is the one served; with several, each worker loads its own,
    # so only the folder is checked here.
    if args.workers == 1:
        load(args.model)
    else:
        model_dir = args.model or _resources.default_model_dir()
        if not (model_dir / "config.cfg").is_file():
            raise ModelNotFoundError(model_dir)
        verify_manifest(model_dir)
    if not _is_loopback(args.host):
        print(f"retraction-reasons serve: listening on {args.host}, reachable from other machines; "
              "the service has no authentication.", file=sys.stderr)
    settings = {"host": args.host, "port": args.port, "log_level": args.log_level, "server_header": False}
    if args.workers == 1:
        uvicorn.run(create_app(args.model), **settings)
    else:
        # Worker processes build the app from an import string; the model folder goes by environment.
        os.environ[MODEL_DIR_ENV] = str(args.model.resolve()) if args.model else ""
        uvicorn.run("retraction_reasons.server:app_from_environment", factory=True, workers=args.workers,
                    **settings)
    return 0
