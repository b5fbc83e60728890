"""What every request needs: the open archive, the acting user, CSRF checks, error statuses.

The server holds one unlocked archive; each request acts as the logged-in
user, and every service call receives that user so role checks happen in the
service, the same for web pages, API and CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from attest.api.auth import (
    SESSION_COOKIE,
    LockedOut,
    LoginThrottle,
    PreloginTokens,
    Session,
    SessionStore,
    same_token,
)
from attest.archive import Archive
from attest.errors import AttestError, UnknownRecord
from attest.secure.roles import PermissionDenied
from attest.secure.users import AuthenticationFailed, User
from attest.service.review import InvalidEdit, ReviewConflict

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_FILES = 50
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class NotAuthenticated(AttestError):
    """No valid session: log in first."""


class CsrfFailed(AttestError):
    """A state-changing request without the session's CSRF token."""


class UploadTooLarge(AttestError):
    """An upload over the size or file-count limit."""


STATUS: list[tuple[type[Exception], int]] = [
    (UnknownRecord, 404),
    (PermissionDenied, 403),
    (CsrfFailed, 403),
    (NotAuthenticated, 401),
    (AuthenticationFailed, 401),
    (LockedOut, 429),
    (ReviewConflict, 409),
    (InvalidEdit, 422),
    (UploadTooLarge, 413),
]


def status_for(exc: Exception) -> int:
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


@dataclass
class AppState:
    archive: Archive
    secure_cookies: bool = False
    max_upload: int = MAX_UPLOAD_BYTES
    sessions: SessionStore = field(default_factory=SessionStore)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    prelogin: PreloginTokens = field(default_factory=PreloginTokens)


def app_state(request: Request) -> AppState:
    return request.app.state.attest


def session_of(request: Request) -> Session | None:
    return app_state(request).sessions.get(request.cookies.get(SESSION_COOKIE))


def current_user(request: Request) -> User:
    """The logged-in, still active user of this request (re-read, so a role change applies at once)."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    session = session_of(request)
    if session is None:
        raise NotAuthenticated("not logged in (or the session expired): log in first")
    try:
        user = app_state(request).archive.users.get(session.user)
    except UnknownRecord:
        user = None
    if user is None or not user.active:
        app_state(request).sessions.drop(session.token)
        raise NotAuthenticated("this account is no longer active")
    request.state.user = user
    return user


def check_csrf(request: Request, token: str | None) -> None:
    """Unsafe methods must carry the session's CSRF token (form field or X-CSRF-Token header)."""
    session = session_of(request)
    if session is None:
        raise NotAuthenticated("not logged in (or the session expired): log in first")
    if not same_token(session.csrf, token):
        raise CsrfFailed("missing or wrong CSRF token: reload the page and try again")


def login(state: AppState, name: str, password: str, address: str) -> tuple[User, Session]:
    """Check the password with lock-out; audit success and failure."""
    archive = state.archive
    state.throttle.check(name, address)
    try:
        user = archive.users.verify_password(name, password)
    except AuthenticationFailed:
        state.throttle.failed(name, address)
        with archive.engine.begin() as conn:
            archive.audit.append(
                conn,
                actor="anonymous",
                action="auth.login_failed",
                record_type="user",
                record_id=name[:128],
                after={"address": address},
            )
        raise
    state.throttle.succeeded(name)
    with archive.engine.begin() as conn:
        archive.audit.append(
            conn,
            actor=user.name,
            action="auth.login",
            record_type="user",
            record_id=user.name,
            after={"address": address},
        )
    return user, state.sessions.create(user.name)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
