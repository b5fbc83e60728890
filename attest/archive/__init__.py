"""Storage: the encrypted archive, its schema and migrations."""

from attest.archive.archive import Archive

__all__ = ["Archive"]
