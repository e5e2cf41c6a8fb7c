"""The README's examples stay true: the values and answers it shows are what the service sends.

After a change to the rules the ruleset version changes, and with it the README's ETag,
X-Ruleset-Version and `_Ruleset ..._` lines: rerun the examples and paste the new values.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

README = (Path(__file__).parents[2] / "README.md").read_text()


def cluster_json() -> dict:
    """The README's cluster.json."""
    block = re.search(r"```json\n(.*?)```", README, re.S).group(1)
    return json.loads(block)


def console_output(command_fragment: str) -> str:
    """The output printed under the first console command (continuation lines joined) that
    contains the fragment."""
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                i += 1
                continue
            command = lines[i]
            while command.endswith("\\") and i + 1 < len(lines):
                i += 1
                command = command[:-1] + lines[i].strip()
            output = []
            i += 1
            while i < len(lines) and not lines[i].startswith("$ "):
                output.append(lines[i])
                i += 1
            if command_fragment in command:
                return "\n".join(output).strip("\n")
    raise AssertionError(f"no README command containing {command_fragment!r}")


def test_etag_and_ruleset_version_shown_are_current(client):
    response = client.post("/v1/evaluations", json=cluster_json())
    assert f"ETag: {response.headers['ETag']}" in README
    assert f"X-Ruleset-Version: {response.headers['X-Ruleset-Version']}" in README


def test_evaluation_shown_matches(client):
    answer = client.post("/v1/evaluations", json=cluster_json()).get_json()
    shown = console_output("localhost:8000/v1/evaluations -H 'Content-Type: application/json' -d @cluster.json")
    for placement in answer["nodes"][0]["layout"]:
        assert json.dumps(placement) in shown
    assert json.dumps(answer["remediation"]) in shown.replace("\n", "")
    assert f'"classification": "{answer["classification"]}"' in shown


@pytest.mark.parametrize("fragment,path", [
    ("inventory=1x10G,1x1G&nodes=2", "/v1/chatops/answer?inventory=1x10G,1x1G&nodes=2"),
    ("inventory=3x1G%20team(2,private)", "/v1/chatops/description?inventory=3x1G%20team(2,private)"),
])
def test_chatops_answers_shown_match(client, fragment, path):
    assert console_output(fragment) == client.get(path).get_data(as_text=True).strip("\n")


def test_markdown_answer_shown_matches(client):
    shown = console_output("/v1/evaluations/markdown")
    sent = client.post("/v1/evaluations/markdown", json=cluster_json()).get_data(as_text=True)
    assert shown == sent.strip("\n")


def test_problem_shown_matches(client):
    body = {"nodes": [{"name": "hv01", "adapters": [{"name": "NIC1", "speed_mbps": 5}]}],
            "colour": "red"}
    sent = client.post("/v1/evaluations", json=body).get_json()
    shown = console_output('"colour": "red"}\'')
    for error in sent["errors"]:
        assert json.dumps(error) in shown


def test_negotiated_markdown_shown_matches(client):
    shown = console_output("/v1/evaluations?format=markdown")
    sent = client.post("/v1/evaluations", json=cluster_json(),
                       headers={"Accept": "text/markdown"}).get_data(as_text=True)
    assert shown == sent.strip("\n")


def test_chat_error_shown_matches(client):
    shown = console_output("-H 'Accept: text/markdown' 'localhost:8000/v1/chatops/answer")
    sent = client.get("/v1/chatops/answer?inventory=2x10Q", headers={"Accept": "text/markdown"})
    assert sent.status_code == 422 and shown == sent.get_data(as_text=True).strip("\n")


def test_command_line_shown_matches(capsys, tmp_path):
    """The README's command-line session, run: its outputs and exit codes."""
    from service.cli import main
    first = console_output('quick "2x10G,1x1G" --format markdown | head -1')
    assert main(["quick", "2x10G,1x1G", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == first
    assert main(["quick", "1x10G,1x1G", "--nodes", "2"]) == int(
        console_output('quick "1x10G,1x1G" --nodes 2'))
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps(cluster_json()))
    capsys.readouterr()
    assert main(["evaluate", str(path), "--format", "reg", "--node", "hv01"]) == int(
        console_output("--format reg --node hv01 > hv01-qos.reg"))
    capsys.readouterr()
    error, code = console_output('quick "2x10Q"; echo').splitlines()
    assert main(["quick", "2x10Q"]) == int(code)
    assert capsys.readouterr().err.strip() == error


def ws2016_json() -> dict:
    """The README's ws2016.json (the JSON block of the rulesets section)."""
    section = README[README.index("### Rulesets: Windows Server 2016 and later"):]
    return json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))


def test_rulesets_shown_match(client):
    shown = console_output("localhost:8000/v1/rulesets")
    assert json.loads(shown) == client.get("/v1/rulesets").get_json()


def test_ws2016_evaluation_shown_matches(client):
    description = ws2016_json()
    assert description["ruleset"] == "ws2016"
    answer = client.post("/v1/evaluations", json=description).get_json()
    networking = dict(answer["host_networking"])
    networking["nodes"] = networking["nodes"][:1]
    # What the command's jq filter keeps of the answer.
    kept = {"classification": answer["classification"],
            "ruleset_version": answer["ruleset_version"], "findings": answer["findings"],
            "layout": answer["nodes"][0]["layout"], "host_networking": networking}
    assert json.loads(console_output("-d @ws2016.json | jq")) == kept


def test_ws2016_powershell_shown_matches(client):
    sent = client.post("/v1/qos-policies/powershell?node=hv01", json=ws2016_json())
    shown = console_output("powershell?node=hv01' -H 'Content-Type: application/json' -d @ws2016")
    assert shown == sent.get_data(as_text=True).rstrip("\n")


def test_ws2016_audit_shown_matches(client):
    section = README[README.index("#### Audit mode: a declared layout"):]
    description = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    answer = client.post("/v1/evaluations", json=description).get_json()
    kept = {"mode": answer["mode"], "classification": answer["classification"],
            "best_classification": answer["best_classification"],
            "findings": [{k: f[k] for k in ("code", "node")} for f in answer["findings"]],
            "plans": [{"classification": p["classification"], "cost": p["cost"], "steps": [
                {k: s[k] for k in ("action", "nodes", "classification_after")}
                for s in p["steps"]]} for p in answer["plans"]],
            "plans_complete": answer["plans_complete"]}
    assert json.loads(console_output("-d @ws2016-audit.json | jq")) == kept


def test_ws2016_markdown_shown_matches(client):
    sent = client.post("/v1/evaluations", json=ws2016_json(), headers={"Accept": "text/markdown"})
    shown = console_output("-H 'Accept: text/markdown' -H 'Content-Type: application/json' "
                           "-d @ws2016.json")
    assert sent.status_code == 200
    assert shown == sent.get_data(as_text=True).strip("\n")


def test_ws2016_chatops_answer_shown_matches(client):
    sent = client.get("/v1/chatops/answer?inventory=2x25G%20rocev2,2x10G&nodes=2&ruleset=ws2016")
    assert console_output("ruleset=ws2016'") == sent.get_data(as_text=True).strip("\n")


def test_ws2016_svg_command_shown_answers_a_picture(client):
    assert console_output("svg?node=hv01' -H 'Content-Type: application/json' -d @ws2016") == ""
    sent = client.post("/v1/evaluations/svg?node=hv01", json=ws2016_json())
    assert sent.status_code == 200 and sent.mimetype == "image/svg+xml"
