"""The HTTP service and web page (``retraction-reasons serve``; needs the ``api`` extra).

>>> from retraction_reasons.server import create_app
>>> app = create_app()            # a FastAPI app for the shipped model; run it with uvicorn
"""

from __future__ import annotations

from .app import MODEL_DIR_ENV, app_from_environment, create_app
from .limits import MAX_BODY_BYTES
from .schemas import MAX_BATCH_TEXTS

__all__ = ["create_app", "app_from_environment", "MODEL_DIR_ENV", "MAX_BODY_BYTES", "MAX_BATCH_TEXTS"]
