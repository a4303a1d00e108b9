"""``veilleur serve``: the workbench on uvicorn, on 127.0.0.1 by default."""

from __future__ import annotations

from pathlib import Path


def serve(
    home: Path, host: str = "127.0.0.1", port: int = 8000, *, https_cookies: bool = False
) -> None:
    """Serve the workspace ``home`` until interrupted (one process: SQLite's writer)."""
    import uvicorn

    from veilleur.web.app import create_app

    app = create_app(home, https_cookies=https_cookies)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
    )
