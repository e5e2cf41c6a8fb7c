"""JSON access log fields: gunicorn's access line, with its parts as fields of their own."""
from __future__ import annotations

import logging

# gunicorn's access-log atoms (the record's args) and the field each becomes.
FIELDS = {
    "request_id": "{x-request-id}o",
    "method": "m",
    "path": "U",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "remote": "h",
}


class AccessFields(logging.Filter):
    """Copies gunicorn's access atoms onto the record, so the JSON formatter writes each as a
    field (`request_id` is the X-Request-ID the response carries)."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if hasattr(atoms, "get"):
            for name, atom in FIELDS.items():
                try:
                    value = atoms[atom]  # gunicorn's SafeAtoms answers "-" for a missing one
                except KeyError:
                    continue
                if name in ("status", "duration_ms") and str(value).isdigit():
                    value = int(value)
                setattr(record, name, value)
        return True
