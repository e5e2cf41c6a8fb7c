"""The representation version: a fingerprint of what the cached answers look like.

A cached answer is the JSON the response schemas made, or the Markdown the renderer wrote. When
either changes, an old entry in a shared Redis (and every ETag a client holds) would hand out
the old shape, so the cache key and the ETag carry this version. It is derived, never declared:
the shape of the response schemas (field names, types, nesting, nullability; not their
descriptions) and what the schemas and the Markdown renderer make of the guide's nine table
rows. A comment or a docstring changes neither; any change to an answer changes it.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

import marshmallow as ma
from marshmallow import fields

from ..domain.evaluate import evaluate
from ..domain.render import render_markdown
from ..domain.rulesets.ws2016.serve import markdown as ws2016_markdown
from ..schemas.bodies import ClusterSchema, EvaluationSchema, Ws2016EvaluationSchema
from ..schemas.examples import request_examples, ws2016_description

# The short form carried in headers and logs: 16 hex digits tell versions apart well enough.
LENGTH = 16


def _field_shape(field: fields.Field, seen: set) -> dict:
    """What a field contributes to the answer's shape (its documentation left out)."""
    shape: dict[str, Any] = {"type": type(field).__name__, "data_key": field.data_key,
             "required": field.required, "allow_none": field.allow_none,
             "load_only": field.load_only, "dump_only": field.dump_only}
    if isinstance(field, fields.Nested):
        nested = field.schema
        shape["nested"] = schema_shape(type(nested), seen)
        shape["many"] = bool(getattr(nested, "many", False))
    if isinstance(field, fields.List):
        shape["items"] = _field_shape(field.inner, seen)
    if isinstance(field, fields.Dict) and field.value_field is not None:
        shape["values"] = _field_shape(field.value_field, seen)
    if isinstance(field, fields.Enum):
        shape["enum"] = [member.value if field.by_value else member.name for member in field.enum]
    values = getattr(field, "values", None)  # NamedEnum's closed set
    if isinstance(values, tuple):
        shape["enum"] = list(values)
    return shape


def schema_shape(schema_class: type[ma.Schema], seen: set | None = None) -> dict:
    """The fields of a schema and of every schema nested in it, as plain data."""
    seen = set() if seen is None else seen
    name = f"{schema_class.__module__}.{schema_class.__qualname__}"
    if name in seen:  # a schema nested in itself: named, not expanded again
        return {"ref": name}
    seen = seen | {name}
    schema = schema_class()
    return {"schema": schema_class.__name__,
            "fields": {key: _field_shape(field, seen)
                       for key, field in sorted(schema.fields.items())}}


def sample_answers(evaluation_schema: ma.Schema, render=render_markdown) -> list:
    """The JSON and Markdown answers to the guide's nine table rows."""
    loader = ClusterSchema()
    out = []
    for example in request_examples().values():
        evaluation = evaluate(loader.load(example["value"]))
        out.append([evaluation_schema.dump(evaluation), render(evaluation)])
    return out


# The code cannot change under a running process: one computation per process and arguments.
@lru_cache(maxsize=16)
def representation_version(schema_class: type[ma.Schema] = EvaluationSchema,
                           render=render_markdown) -> str:
    """A short hash of the answers' shape and of sample answers."""
    material = json.dumps([schema_shape(schema_class), sample_answers(schema_class(), render)],
                          sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:LENGTH]


def ws2016_samples() -> list[dict]:
    """ws2016 descriptions whose answers fingerprint that ruleset's representation: the
    contract's example (dedicated), and converged with and without RDMA."""
    example = ws2016_description()
    converged, plain = (dict(example, nodes=[dict(n, adapters=n["adapters"][keep])
                                             for n in example["nodes"]])
                        for keep in (slice(2, 4), slice(0, 2)))
    return [example, converged, plain]


@lru_cache(maxsize=4)
def ws2016_representation_version(render=ws2016_markdown) -> str:
    """The representation version of the ws2016 ruleset's answers: its schema's shape and its
    JSON and Markdown answers to `ws2016_samples`."""
    loader, schema = ClusterSchema(), Ws2016EvaluationSchema()
    answers = []
    for description in ws2016_samples():
        evaluation = evaluate(loader.load(description))
        answers.append([schema.dump(evaluation), render(evaluation)])
    material = json.dumps([schema_shape(Ws2016EvaluationSchema), answers], sort_keys=True,
                          separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:LENGTH]
