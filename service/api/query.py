"""Query strings read strictly: an unknown parameter or one given twice is a 422, never ignored."""
from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_smorest import abort

from ..application.pointers import flatten


class QuerySchema(ma.Schema):
    """Base of every query schema: unknown parameters raise (see parsing.StrictParser)."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def once_each(self, data, **kwargs):
        # webargs hands a proxy over the request's MultiDict; a repeated key would silently
        # become its first value, so it is refused by name.
        raw = getattr(data, "data", data)
        repeated = [key for key in getattr(raw, "keys", lambda: [])()
                    if hasattr(raw, "getlist") and len(raw.getlist(key)) > 1]
        if repeated:
            raise ma.ValidationError({key: ["Given more than once; give it once."]
                                      for key in repeated})
        return data


def load_query(schema: ma.Schema) -> dict:
    """The request's query string through `schema`, or a 422 naming each bad parameter (for
    code that runs before flask-smorest parses the arguments, e.g. the cache lookup)."""
    try:
        return schema.load(request.args)
    except ma.ValidationError as error:
        abort(422, errors=flatten(error.messages))
        raise  # not reached: abort raises (this tells a type checker so)
