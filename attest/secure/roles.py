"""Roles, permissions and confidentiality levels: the one table every check reads.

Permissions are named capabilities rather than role comparisons so that a
service says what it needs (``require(user, "export")``) and the mapping from
roles to capabilities lives here, in one reviewable place. The same table
decides which field keys a role's key slot receives (``LEVEL_KEYS``), so the
cryptography and the role checks cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from attest.errors import AttestError, UsageError

if TYPE_CHECKING:
    from attest.secure.users import User

ROLES = ("admin", "analyst", "reviewer", "viewer")
LEVELS = ("public", "restricted", "confidential")

PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "reviewer": frozenset({"read", "read_restricted", "review", "write"}),
    "analyst": frozenset(
        {"read", "read_restricted", "read_confidential", "review", "write", "ingest", "export"}
    ),
    "admin": frozenset(
        {"read", "read_restricted", "read_confidential", "review", "write", "ingest", "export", "admin"}
    ),
}
ALL_PERMISSIONS = frozenset().union(*PERMISSIONS.values())

# The permission needed to read a value of each confidentiality level.
READ_LEVEL = {"public": "read", "restricted": "read_restricted", "confidential": "read_confidential"}


class PermissionDenied(AttestError):
    """The acting user's role does not allow what was asked."""

    exit_code = 3


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    return role


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise UsageError(f"unknown confidentiality level {level!r}; levels are {', '.join(LEVELS)}")
    return level


def can(user: User, permission: str) -> bool:
    """Whether ``user`` (active, with a known role) holds ``permission``."""
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return user.active and permission in PERMISSIONS.get(user.role, frozenset())


def require(user: User, permission: str) -> None:
    """Raise PermissionDenied unless ``user`` holds ``permission``."""
    if not can(user, permission):
        state = "" if user.active else " (deactivated)"
        raise PermissionDenied(f"user {user.name!r}{state} with role {user.role!r} may not {permission}")


def can_read_level(user: User, level: str) -> bool:
    return can(user, READ_LEVEL[check_level(level)])


def require_level(user: User, level: str) -> None:
    require(user, READ_LEVEL[check_level(level)])


def readable_levels(role: str) -> tuple[str, ...]:
    """Levels a role may read, lowest first; also the field keys its slot receives."""
    granted = PERMISSIONS[check_role(role)]
    return tuple(level for level in LEVELS if READ_LEVEL[level] in granted)
