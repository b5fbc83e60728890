"""Keys, encryption and (later) roles, audit and redaction."""
