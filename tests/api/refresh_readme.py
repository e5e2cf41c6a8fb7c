"""Refresh the README's example outputs from the service (run after a change to the rules).

    .venv/bin/python tests/api/refresh_readme.py

It rewrites what tests/api/test_readme_examples.py checks: the ETag and ruleset version, the
evaluation's remediation and plans lines, and the Markdown and chat-ops answers (ws2016's too). Re-wrapped and
cut parts of the evaluation example stay as they are written.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT))

from service.app import create_app  # noqa: E402
from service.config import Settings  # noqa: E402
from tests.api.test_readme_examples import cluster_json, ws2016_json  # noqa: E402

README = ROOT / "README.md"


def _replace_output(text: str, fragment: str, output: str) -> str:
    """Replace the output under the console command containing `fragment`."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("$ ") and fragment in line:
            j = i
            while lines[j].endswith("\\"):
                j += 1
            end = j + 1
            while not lines[end].startswith(("$ ", "```")):
                end += 1
            return "\n".join(lines[:j + 1] + output.strip("\n").split("\n") + lines[end:])
    raise SystemExit(f"no command containing {fragment!r}")


def main() -> None:
    client = create_app(Settings()).test_client()
    text = README.read_text()
    response = client.post("/v1/evaluations", json=cluster_json())
    answer = response.get_json()
    text = re.sub(r'ETag: "[0-9a-f]+"', f"ETag: {response.headers['ETag']}", text)
    version = response.headers["X-Ruleset-Version"]
    text = re.sub(r"ws2008r2-live-migration/\d+(\+[0-9a-z_]+)?", version, text)
    text = re.sub(r'(?m)^ "remediation": \[.*\],\n', f' "remediation": {json.dumps(answer["remediation"])},\n',
                  text)
    plans = f' "plans": {json.dumps(answer["plans"])}, "plans_complete": ' \
            f'{json.dumps(answer["plans_complete"])},\n'
    if ' "plans": ' in text:
        text = re.sub(r'(?m)^ "plans": \[.*\n', plans, text)
    else:
        text = re.sub(r'(?m)^( "remediation": \[.*\],\n)', lambda m: m.group(1) + plans, text)
    for fragment, path in (("inventory=1x10G,1x1G&nodes=2", "/v1/chatops/answer?inventory=1x10G,1x1G&nodes=2"),
                           ("inventory=3x1G%20team(2,private)",
                            "/v1/chatops/description?inventory=3x1G%20team(2,private)")):
        text = _replace_output(text, fragment, client.get(path).get_data(as_text=True))
    markdown = client.post("/v1/evaluations/markdown", json=cluster_json()).get_data(as_text=True)
    text = _replace_output(text, "/v1/evaluations/markdown", markdown)
    negotiated = client.post("/v1/evaluations?format=markdown", json=cluster_json())
    text = _replace_output(text, "/v1/evaluations?format=markdown",
                           negotiated.get_data(as_text=True))
    ws2016 = ws2016_json()
    text = _replace_output(text, "-H 'Accept: text/markdown' -H 'Content-Type: application/json' "
                                 "-d @ws2016.json",
                           client.post("/v1/evaluations", json=ws2016,
                                       headers={"Accept": "text/markdown"}).get_data(as_text=True))
    text = _replace_output(text, "ruleset=ws2016'", client.get(
        "/v1/chatops/answer?inventory=2x25G%20rocev2,2x10G&nodes=2&ruleset=ws2016").get_data(as_text=True))
    chat_error = client.get("/v1/chatops/answer?inventory=2x10Q",
                            headers={"Accept": "text/markdown"})
    text = _replace_output(text, "-H 'Accept: text/markdown' 'localhost:8000/v1/chatops/answer",
                           chat_error.get_data(as_text=True))
    text = _replace_output(text, "powershell?node=hv01' -H 'Content-Type: application/json' "
                                 "-d @ws2016", client.post("/v1/qos-policies/powershell?node=hv01",
                                                           json=ws2016).get_data(as_text=True))
    text = _replace_output(text, "localhost:8000/v1/rulesets", _rulesets(client))
    answer = client.post("/v1/evaluations", json=ws2016).get_json()
    networking = dict(answer["host_networking"], nodes=answer["host_networking"]["nodes"][:1])
    kept = {"classification": answer["classification"],
            "ruleset_version": answer["ruleset_version"], "findings": answer["findings"],
            "layout": answer["nodes"][0]["layout"], "host_networking": networking}
    text = _replace_output(text, "-d @ws2016.json \\", json.dumps(kept, indent=2))
    README.write_text(text)


def _rulesets(client) -> str:
    """GET /v1/rulesets as the README prints it: a ruleset to a line, a source to a line."""
    lines = ['{"rulesets": [']
    rulesets = client.get("/v1/rulesets").get_json()["rulesets"]
    for k, ruleset in enumerate(rulesets):
        head = {key: value for key, value in ruleset.items() if key != "sources"}
        lines.append("  " + json.dumps(head)[:-1] + ', "sources": [')
        sources = [f"    {json.dumps(source)}," for source in ruleset["sources"]]
        sources[-1] = sources[-1][:-1]
        lines += sources[:-1] + [sources[-1] + "]}" + ("," if k < len(rulesets) - 1 else "")]
    return "\n".join(lines + ["]}"])


if __name__ == "__main__":
    main()
