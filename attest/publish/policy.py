"""Redaction policies: a YAML file that says what may leave the archive.

A policy is an allow-list. Only record types it names are exported, only the
fields it lists, only records and fields at or below its confidentiality
level, and only by the roles it names. Anything it does not mention stays in.
Typos are errors (unknown keys are refused), so a misspelled field can never
silently widen an export.

    name: public-release
    max_level: public            # public | restricted | confidential
    roles: [admin, analyst]      # who may run an export with this policy
    k: 5                         # smallest group a quasi-identifier combination may single out
    records:
      person:
        fields: [id, category, place, birth_year, occupation]
        pseudonymize: [name]     # replaced by pseudonyms, unlinkable across exports
        quasi_identifiers:
          - [place, birth_year, occupation]
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from attest.errors import AttestError
from attest.secure.roles import LEVELS, ROLES

# Columns of records that are more sensitive than the record holding them.
DEFAULT_FIELD_LEVELS = {"notes": "restricted", "contact": "confidential"}


class PolicyError(AttestError):
    """A policy file that cannot be read or does not validate (names the file and problem)."""


class RecordRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: list[str] = Field(default_factory=list)
    pseudonymize: list[str] = Field(default_factory=list)
    quasi_identifiers: list[list[str]] = Field(default_factory=list)
    # Only rows whose field has one of these values (e.g. consent: [yes]).
    only_where: dict[str, list[str | int | bool | None]] = Field(default_factory=dict)

    @field_validator("quasi_identifiers")
    @classmethod
    def _combos_not_empty(cls, combos: list[list[str]]) -> list[list[str]]:
        if any(not combo for combo in combos):
            raise ValueError("a quasi-identifier combination needs at least one field")
        return combos


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    max_level: str = "public"
    roles: list[str] = Field(default_factory=lambda: ["admin", "analyst"])
    k: int = Field(default=5, ge=1)
    field_levels: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_FIELD_LEVELS))
    records: dict[str, RecordRule]

    @field_validator("max_level")
    @classmethod
    def _level(cls, level: str) -> str:
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; levels are {', '.join(LEVELS)}")
        return level

    @field_validator("field_levels")
    @classmethod
    def _levels(cls, levels: dict[str, str]) -> dict[str, str]:
        for field, level in levels.items():
            if level not in LEVELS:
                raise ValueError(f"field {field!r}: unknown level {level!r}")
        return levels

    @field_validator("roles")
    @classmethod
    def _roles(cls, roles: list[str]) -> list[str]:
        unknown = [r for r in roles if r not in ROLES]
        if unknown:
            raise ValueError(f"unknown roles {unknown}; roles are {', '.join(ROLES)}")
        return roles

    def level_allows(self, level: str) -> bool:
        return LEVELS.index(level) <= LEVELS.index(self.max_level)


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"{path}: no such policy file") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PolicyError(f"{path}: not a readable YAML policy ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: a policy is a mapping with at least 'name' and 'records'")
    return parse_policy(data, source=str(path))


def parse_policy(data: dict, *, source: str = "policy") -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise PolicyError(f"{source}: {where}: {first['msg']}") from exc
