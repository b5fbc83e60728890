"""Sessions, CSRF tokens and login lock-out for the web pages and the API.

Sessions live in server memory, keyed by a random token in an HttpOnly,
SameSite=Strict cookie: logging out or restarting the server revokes them at
once, and nothing about the user is stored in the browser. The server serves
one unlocked archive to a handful of people, so one process is the norm and
memory is enough. Passwords are checked by ``archive.users`` (Argon2 hashes);
this module only counts failures and locks a name (and a client address)
after too many, so a password cannot be guessed online.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from attest.errors import AttestError

SESSION_COOKIE = "attest_session"
PRELOGIN_COOKIE = "attest_prelogin"
IDLE_SECONDS = 2 * 3600
MAX_SECONDS = 12 * 3600


class LockedOut(AttestError):
    """Too many failed logins for this name or address; try again later."""

    exit_code = 3


@dataclass
class Session:
    token: str
    user: str
    csrf: str
    created: float = field(default_factory=time.monotonic)
    seen: float = field(default_factory=time.monotonic)


class SessionStore:
    """Random-token sessions with idle and absolute expiry."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, user: str) -> Session:
        s = Session(secrets.token_urlsafe(32), user, secrets.token_urlsafe(32))
        with self._lock:
            self._sessions[s.token] = s
        return s

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            s = self._sessions.get(token)
            if s is None:
                return None
            if now - s.seen > IDLE_SECONDS or now - s.created > MAX_SECONDS:
                del self._sessions[token]
                return None
            s.seen = now
            return s

    def drop(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    def drop_user(self, user: str) -> None:
        with self._lock:
            for token in [t for t, s in self._sessions.items() if s.user == user]:
                del self._sessions[token]


class LoginThrottle:
    """Lock a name after ``max_failures`` failures within ``window`` seconds (and an address after more)."""

    def __init__(self, max_failures: int = 5, window: float = 900.0, per_address: int = 20) -> None:
        self.max_failures = max_failures
        self.per_address = per_address
        self.window = window
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def check(self, name: str, address: str) -> None:
        """Raise LockedOut when the name or the address has failed too often lately."""
        now = time.monotonic()
        with self._lock:
            by_name = self._recent(f"name:{name.casefold()}", now)
            by_addr = self._recent(f"addr:{address}", now)
            if len(by_name) >= self.max_failures or len(by_addr) >= self.per_address:
                wait = int(self.window - (now - (by_name or by_addr)[0])) // 60 + 1
                raise LockedOut(f"too many failed logins; try again in about {wait} minutes")

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(f"name:{name.casefold()}", now).append(now)
            self._recent(f"addr:{address}", now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._fails.pop(f"name:{name.casefold()}", None)


class PreloginTokens:
    """CSRF for the login form itself: a cookie nonce and its HMAC in the form (double submit)."""

    def __init__(self) -> None:
        self._secret = secrets.token_bytes(32)

    def issue(self) -> tuple[str, str]:
        nonce = secrets.token_urlsafe(24)
        return nonce, self._sign(nonce)

    def valid(self, nonce: str | None, token: str | None) -> bool:
        return bool(nonce and token) and hmac.compare_digest(self._sign(nonce or ""), token or "")

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode(), hashlib.sha256).hexdigest()


def same_token(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given or "")
