"""Reading uploaded files with limits, before anything is stored.

Limits are checked while reading, so an oversized upload is refused with 413
and nothing of the batch is ingested (all-or-nothing at this stage: a person
re-sending a smaller batch knows exactly what landed).
"""

from __future__ import annotations

from fastapi import UploadFile

from attest.api.deps import MAX_UPLOAD_FILES, UploadTooLarge


def read_uploads(files: list[UploadFile], max_bytes: int) -> list[tuple[str, bytes]]:
    """(name, bytes) of each upload; UploadTooLarge when the batch breaks a limit."""
    if len(files) > MAX_UPLOAD_FILES:
        raise UploadTooLarge(f"at most {MAX_UPLOAD_FILES} files per upload (got {len(files)})")
    out: list[tuple[str, bytes]] = []
    total = 0
    for f in files:
        data = f.file.read(max_bytes + 1 - total)
        total += len(data)
        if total > max_bytes:
            raise UploadTooLarge(
                f"upload too large: {f.filename or 'a file'} takes the batch over "
                f"{max_bytes / (1024 * 1024):g} MiB"
            )
        name = (f.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
        out.append((name, data))
    return out
