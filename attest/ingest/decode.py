"""Bytes to text, strictly: junk and wrong encodings are refused by name.

Silently guessing an encoding can garble names of people and places, so a
file that is not valid UTF-8 (or UTF-16 with a byte-order mark) is rejected
with the offset of the first bad byte.
"""

from __future__ import annotations

from attest.errors import UnreadableFile

_CONTROL_OK = {9, 10, 12, 13}


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean binary."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 32 and b not in _CONTROL_OK)
    return bool(head) and controls / len(head) > 0.01


def decode_text(data: bytes, name: str) -> str:
    """Decode report bytes or raise UnreadableFile with the reason."""
    if not data.strip():
        raise UnreadableFile(name, "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(name, f"bad UTF-16 text ({exc.reason})") from exc
    if looks_binary(data):
        raise UnreadableFile(name, "binary content, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise UnreadableFile(
            name,
            f"not UTF-8 text (byte 0x{bad:02x} at offset {exc.start}); "
            "convert the file to UTF-8 and ingest it again",
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
