"""Service functions: the operations every interface (CLI, API, web) calls.

They compose the lower layers (archive, ingest, extract) into whole user
actions, so that no interface does core work of its own.
"""
