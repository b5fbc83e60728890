"""The reviewer's workbench: one ASGI app serving the pages and the /api.

Pages are rendered on the server (Jinja2) with a small script for keyboard
shortcuts; every script and stylesheet comes from ``attest/web/static``, so
the workbench runs offline and under a strict Content-Security-Policy. Errors
are answered as JSON under /api and as a page elsewhere, never as a traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from attest.api.deps import AppState, NotAuthenticated, status_for
from attest.api.routes import router as api_router
from attest.archive import Archive
from attest.errors import AttestError
from attest.web import linkage, overview, pages
from attest.web.render import templates

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("attest.web")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def create_app(archive: Archive, *, secure_cookies: bool = False, max_upload: int | None = None) -> FastAPI:
    """The workbench over an open archive (the caller keeps it open for the app's lifetime)."""
    app = FastAPI(
        title="attest",
        summary="HTTP API of the attest archive: inbox, review, records, search.",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    state = AppState(archive=archive, secure_cookies=secure_cookies)
    if max_upload:
        state.max_upload = max_upload
    app.state.attest = state
    app.include_router(api_router, prefix="/api")
    app.include_router(pages.router)
    app.include_router(overview.router)
    app.include_router(linkage.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_handlers(app)

    @app.middleware("http")
    async def guard(request: Request, call_next):  # noqa: ANN001, ANN202
        length = request.headers.get("content-length")
        if (
            request.method == "POST"
            and length
            and length.isdigit()
            and int(length) > state.max_upload + 65536
        ):
            limit = state.max_upload // (1024 * 1024)
            return _error(request, 413, f"upload too large: at most {limit} MiB per request")
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith("/static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(AttestError)
    async def attest_error(request: Request, exc: AttestError) -> Response:
        if isinstance(exc, NotAuthenticated) and not _wants_json(request):
            return RedirectResponse("/login", status_code=303)
        return _error(request, status_for(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        return _error(request, 422, "invalid request: " + "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page or endpoint at {request.url.path}"
        return _error(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(request, 500, "internal error; it has been logged, and nothing was half-written")


__all__ = ["create_app", "HTMLResponse"]
