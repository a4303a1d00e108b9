"""The web workbench: server-rendered pages over the pillars' doors (docs/internals/web.md).

    create_app(home) -> Starlette      the ASGI app serving the workspace ``home``
    serve(home, host, port)            run it with uvicorn (``veilleur serve``)

Importing this package is cheap: Starlette and uvicorn load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.web.app import create_app
    from veilleur.web.serve import serve

__all__ = ["create_app", "serve"]

__getattr__ = exports(__name__, {"create_app": "veilleur.web.app", "serve": "veilleur.web.serve"})
