"""Reading detainee lists: one CSV row a person, columns mapped to person fields.

Lists come from many hands (a spreadsheet of a community group, a leaked
roster, a court's list of names) and name their columns in their own
language, so the mapping is a small YAML file, with defaults guessed from
common header names. Reading is all-or-nothing: the first bad row stops it
with ``FILE:LINE: reason``, before anything is written.

A config looks like::

    columns:            # field: header in the file
      name: "Full name"
      birth_year: "Born"
      age: "Age"
      place: "Hometown"
    reference_year: 2018   # the year ages were counted in (else the row's date, else this year)
    role: victim           # role of the person records made (default victim)
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from attest.errors import AttestError

#: Person fields a list column can fill, with header names recognised without a config.
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "full_name", "person", "姓名", "名字", "имя", "фио", "аты-жөні", "ئىسمى"),
    "birth_year": ("birth_year", "birth year", "year of birth", "born", "yob", "dob", "birth", "出生年份"),
    "age": ("age", "年龄", "возраст", "жасы", "يېشى"),
    "sex": ("sex", "gender", "性别", "пол", "жынысы", "جىنسى"),
    "ethnicity": ("ethnicity", "ethnic group", "nationality", "民族", "национальность", "ultu", "مىللىتى"),
    "place": ("place", "hometown", "residence", "home", "village", "city", "籍贯", "住址", "место"),
    "facility": ("facility", "camp", "prison", "detention", "held at", "关押地点"),
    "date": ("date", "detained", "date detained", "detention date", "arrested", "拘留日期", "дата"),
    "notes": ("notes", "note", "comment", "comments", "remarks", "备注", "примечание"),
    "id_number": ("id_number", "id number", "id", "身份证号"),
}
OPTIONS = ("columns", "reference_year", "role")
MAX_BYTES = 50 * 1024 * 1024


class ListFileError(AttestError):
    """A list or its config that cannot be read as asked; the message names the file and line."""


@dataclass
class ListRow:
    line: int
    fields: dict[str, Any]
    raw: dict[str, str]


@dataclass
class ParsedList:
    path: Path
    sha256: str
    columns: dict[str, str]
    rows: list[ListRow] = field(default_factory=list)
    role: str = "victim"


def load_config(path: Path | None) -> dict[str, Any]:
    """The YAML mapping, checked: known options and fields only."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ListFileError(f"{path}: cannot read the config ({exc.strerror or exc})") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ListFileError(f"{path}: not a YAML config ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict):
        raise ListFileError(f"{path}: the config must be a mapping (columns:, reference_year:, role:)")
    unknown = set(data) - set(OPTIONS)
    if unknown:
        raise ListFileError(
            f"{path}: unknown option(s) {', '.join(sorted(unknown))} (known: {', '.join(OPTIONS)})"
        )
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise ListFileError(f"{path}: 'columns' must map a field to a header")
    bad = set(columns) - set(FIELDS)
    if bad:
        raise ListFileError(f"{path}: unknown field(s) {', '.join(sorted(bad))} (known: {', '.join(FIELDS)})")
    year = data.get("reference_year")
    if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
        raise ListFileError(f"{path}: reference_year must be a year such as 2018, not {year!r}")
    return data


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ListFileError(f"{path}: not a CSV file (binary content)")
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ListFileError(
            f"{path}: not a UTF-8 CSV file (byte {exc.start} cannot be decoded; save it as UTF-8)"
        ) from exc


def _guess(headers: list[str]) -> dict[str, str]:
    folded = {h.strip().casefold(): h for h in headers}
    out: dict[str, str] = {}
    for fld, names in FIELDS.items():
        for n in names:
            if n.casefold() in folded and folded[n.casefold()] not in out.values():
                out[fld] = folded[n.casefold()]
                break
    return out


def _year(text: str | None) -> int | None:
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", text or "")
    return int(match.group(1)) if match else None


def read_list(path: Path, config_path: Path | None = None) -> ParsedList:
    """Read and check a whole list; raise :class:`ListFileError` at the first problem."""
    config = load_config(config_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ListFileError(f"{path}: no such file") from exc
    except OSError as exc:
        raise ListFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if len(raw) > MAX_BYTES:
        raise ListFileError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    text = _decode(path, raw)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ListFileError(f"{path}: empty file (expected a header row)") from None
    except csv.Error as exc:
        raise ListFileError(f"{path}:1: not CSV ({exc})") from exc
    if len(headers) < 1 or not any(headers):
        raise ListFileError(f"{path}:1: no header row")
    columns = {**_guess(headers), **(config.get("columns") or {})}
    where = f"{config_path}" if config_path else f"{path}:1"
    for fld, header in columns.items():
        if header not in headers:
            raise ListFileError(
                f"{where}: column {header!r} (for {fld}) is not in the header of {path} "
                f"(columns: {', '.join(headers)})"
            )
    if "name" not in columns:
        raise ListFileError(
            f"{path}:1: no name column (headers: {', '.join(headers)}); "
            "map one with a config: columns: {name: HEADER}"
        )
    index = {h: i for i, h in enumerate(headers)}
    parsed = ParsedList(
        path, hashlib.sha256(raw).hexdigest(), columns, role=str(config.get("role") or "victim")
    )
    this_year = datetime.now(UTC).year
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
                raise ListFileError(f"{path}:{line}: {len(cells)} fields, but the header has {len(headers)}")
            rawrow = {h: (cells[i].strip() if i < len(cells) else "") for h, i in index.items()}
            fields = {f: rawrow[h] or None for f, h in columns.items()}
            if not fields.get("name"):
                raise ListFileError(f"{path}:{line}: row without a name (column {columns['name']!r})")
            age = fields.pop("age", None)
            if age is not None:
                if not age.isdigit() or not 0 < int(age) < 120:
                    raise ListFileError(f"{path}:{line}: age {age!r} is not a number of years")
                if not _year(fields.get("birth_year")):
                    ref = _year(fields.get("date")) or config.get("reference_year") or this_year
                    fields["birth_year"] = str(ref - int(age))
                    fields["birth_year_from_age"] = True
                fields["age"] = int(age)
            parsed.rows.append(ListRow(line, fields, rawrow))
    except csv.Error as exc:
        raise ListFileError(f"{path}:{reader.line_num}: not CSV ({exc})") from exc
    if not parsed.rows:
        raise ListFileError(f"{path}: no rows after the header")
    return parsed
