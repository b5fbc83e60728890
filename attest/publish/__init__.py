"""Publishing: exports that pass a declarative redaction policy."""
