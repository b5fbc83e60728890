"""People who may use the archive, their roles and web-login passwords.

A user row says what someone may do (their role); their key slot in
``keyring.json`` says what they can decrypt. Both are managed together by
``attest.secure.accounts`` for command-line users; a web-only user (a row
with a password and no key slot) acts through the server's unlocked session
and is limited by role checks alone.

Passwords are stored only as Argon2id hashes (argon2-cffi's PHC strings).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import Connection, Engine, insert, select, update

from attest.errors import AttestError, UnknownRecord, UsageError
from attest.secure.audit import AuditLog
from attest.secure.roles import ROLES, check_role, require
from attest.secure.schema import users

__all__ = ["ROLES", "AuthenticationFailed", "User", "UserStore", "insert_user"]

_hasher = PasswordHasher()
# Verified against when the name is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = _hasher.hash("attest: no such user")


class AuthenticationFailed(AttestError):
    """A bad name or password (deliberately not saying which)."""

    exit_code = 3


class User(BaseModel):
    name: str
    role: str
    active: bool = True


def _check_name(name: str) -> str:
    if not name or len(name) > 128 or not name.isprintable() or name != name.strip():
        raise UsageError(f"invalid user name {name!r}: 1-128 printable characters, no outer spaces")
    return name


def insert_user(
    conn: Connection, audit: AuditLog, name: str, role: str, password: str | None, *, created_by: str
) -> User:
    """Insert in the caller's transaction, with its audit event; no role check (creation, accounts)."""
    _check_name(name)
    check_role(role)
    if conn.execute(select(users.c.name).where(users.c.name == name)).first():
        raise UsageError(f"user {name!r} already exists")
    conn.execute(
        insert(users).values(
            name=name,
            role=role,
            active=True,
            password_hash=_hasher.hash(password) if password else None,
            created_at=datetime.now(UTC),
            created_by=created_by,
        )
    )
    user = User(name=name, role=role)
    audit.append(
        conn, actor=created_by, action="user.add", record_type="user", record_id=name, after=user.model_dump()
    )
    return user


class UserStore:
    """Reads and writes of ``users``; reached as ``archive.users``.

    Changes require the acting user (``actor``, else the one who unlocked the
    archive) to be an admin, and each change appends an audit event in the
    same transaction.
    """

    def __init__(self, engine: Engine, audit: AuditLog, current: Callable[[], User]) -> None:
        self.engine = engine
        self.audit = audit
        self._current = current

    def add(self, name: str, role: str, password: str | None = None, *, actor: User | None = None) -> User:
        """Register a user; ``password`` (optional) is for web login and stored as an Argon2 hash."""
        acting = actor or self._current()
        require(acting, "admin")
        with self.engine.begin() as conn:
            return insert_user(conn, self.audit, name, role, password, created_by=acting.name)

    def get(self, name: str) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users.c.name, users.c.role, users.c.active).where(users.c.name == name)
            ).first()
        if row is None:
            raise UnknownRecord(f"no user named {name!r}")
        return User.model_validate(row._asdict())

    def list(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(users.c.name, users.c.role, users.c.active).order_by(users.c.name))
            return [User.model_validate(r._asdict()) for r in rows]

    def verify_password(self, name: str, password: str) -> User:
        """The user whose name and password match; AuthenticationFailed otherwise (also when inactive)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
            matched = stored is not _DUMMY_HASH
        except (VerificationError, InvalidHashError):
            matched = False
        if not matched or row is None or not row.active:
            raise AuthenticationFailed("unknown user or wrong password")
        return User(name=row.name, role=row.role, active=row.active)

    def set_password(self, name: str, password: str, *, actor: User | None = None) -> None:
        """Set a web-login password: a user may change their own, an admin anyone's."""
        if not password:
            raise UsageError("an empty password is not allowed")
        acting = actor or self._current()
        if acting.name != name:
            require(acting, "admin")
        self._update(name, acting, "user.password", password_hash=_hasher.hash(password))

    def set_role(self, name: str, role: str, *, actor: User | None = None) -> User:
        """Change a role in the database (the key slot's grants are changed by accounts.set_role)."""
        acting = actor or self._current()
        require(acting, "admin")
        self._update(name, acting, "user.role", role=check_role(role))
        return self.get(name)

    def set_active(self, name: str, active: bool, *, actor: User | None = None) -> User:
        acting = actor or self._current()
        require(acting, "admin")
        self._update(name, acting, "user.activate" if active else "user.deactivate", active=active)
        return self.get(name)

    def _update(self, name: str, acting: User, action: str, **values: object) -> None:
        with self.engine.begin() as conn:
            before = conn.execute(
                select(users.c.name, users.c.role, users.c.active).where(users.c.name == name)
            ).first()
            if before is None:
                raise UnknownRecord(f"no user named {name!r}")
            conn.execute(update(users).where(users.c.name == name).values(**values))
            after = conn.execute(
                select(users.c.name, users.c.role, users.c.active).where(users.c.name == name)
            ).first()
            # password hashes are not put in the log, only the fact of the change
            self.audit.append(
                conn,
                actor=acting.name,
                action=action,
                record_type="user",
                record_id=name,
                before=before._asdict(),
                after={**after._asdict(), "changed": sorted(values)},
            )
