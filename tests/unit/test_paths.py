"""The domain names a bad field by its path; the edge writes the path as a JSON pointer."""
from __future__ import annotations

from service.application.pointers import json_pointer
from service.domain import validate
from service.domain.model import Adapter

try:
    from builders import G1, cluster, node
except ImportError:  # tests/unit imported as a package
    from tests.unit.builders import G1, cluster, node


def test_cross_field_problems_carry_paths():
    member = node("hv01", G1, G1)
    member = member.__class__(member.name, (*member.adapters, Adapter("NIC3", G1, team="T9")))
    found = validate.problems(cluster(member, node("hv01", G1, G1)))
    assert (("nodes", 0, "adapters", 2, "team"),
            "team 'T9' is not declared in this node's teams") in found
    assert (("nodes", 1, "name"), "duplicate node name 'hv01'") in found


def test_a_path_as_a_json_pointer():
    assert json_pointer(()) == ""
    assert json_pointer(("nodes", 0, "adapters", 2, "team")) == "/nodes/0/adapters/2/team"
    assert json_pointer(("a/b", "m~n")) == "/a~1b/m~0n"
