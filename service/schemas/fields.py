"""Field and schema kinds the contract names: closed string sets, always-sent bodies, raw items."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate


class NamedEnum(fields.String):
    """A string from a closed set, documented as a named component (one class in a client)."""

    def __init__(self, component: str, values: tuple[str, ...], **kwargs):
        super().__init__(validate=validate.OneOf(values), **kwargs)
        self.component = component
        self.values = values


class Sent(ma.Schema):
    """A response body whose every field is always sent (null where it may be): the contract
    marks them all required, so a generated client types none of them as optional."""

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = True


class DocumentedAs(fields.Raw):
    """Any JSON value on load (checked later, one by one), documented as a component."""

    def __init__(self, component: str, **kwargs):
        super().__init__(**kwargs)
        self.component = component
