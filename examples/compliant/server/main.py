"""The ASGI application: `uvicorn server.main:app`, or `python -m server.main`."""

from __future__ import annotations

import os

from fastapi import FastAPI

from server.app.api import analyze, plugins


def create_app() -> FastAPI:
    app = FastAPI(title="Analysis server", version="12.0.0")
    app.include_router(analyze.router)
    app.include_router(plugins.router)
    return app


app = create_app()


def main() -> None:
    import uvicorn

    uvicorn.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8000")))


if __name__ == "__main__":
    main()
