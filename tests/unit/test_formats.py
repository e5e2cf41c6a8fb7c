"""Every rendering is one row of one table, read by the command line, the page and the API."""
from __future__ import annotations

import pytest

from service.application import usecases
from service.domain.render.formats import RENDERERS, NodeChoice

try:
    from builders import cluster, row8
except ImportError:  # tests/unit imported as a package
    from tests.unit.builders import cluster, row8


def two_nodes():
    return usecases.answer(cluster(row8("hv01", management_ip="10.0.0.11"),
                                   row8("hv02", management_ip="10.0.0.12")))


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_each_rendering_is_what_the_command_line_prints(fmt):
    result = two_nodes()
    renderer = RENDERERS[fmt]
    node = "hv02" if renderer.node is not NodeChoice.NONE else None
    text = renderer.render(result.evaluation, node, result.cluster)
    assert text and text == usecases.render(result, fmt, node)


def test_a_rendering_of_one_node_needs_a_name_among_several_and_others_refuse_one():
    result = two_nodes()
    one = [f for f, r in RENDERERS.items() if r.node is NodeChoice.REQUIRED]
    assert one == ["reg"]
    with pytest.raises(usecases.InvalidInput, match="name a node"):
        usecases.render(result, "reg")
    with pytest.raises(usecases.InvalidInput, match="not to markdown"):
        usecases.render(result, "markdown", "hv01")
    single = usecases.answer(cluster(row8("hv01", management_ip="10.0.0.11")))
    assert usecases.render(single, "reg") == RENDERERS["reg"].render(
        single.evaluation, None, single.cluster)


def test_the_page_and_the_api_read_the_table():
    from service.api.evaluations import DOWNLOADS as ROUTES
    from service.web.page import DOWNLOADS as BUTTONS
    assert set(BUTTONS) == {*RENDERERS, "json"}
    assert all(BUTTONS[f][1:] == (r.media_type, r.suffix) for f, r in RENDERERS.items())
    assert {d.renderer.format for d in ROUTES} == {"powershell", "reg", "gpedit"}
    assert usecases.FORMATS == ("json", *RENDERERS)
