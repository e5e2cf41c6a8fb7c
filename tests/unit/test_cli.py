"""The command line: formats, --node, exit codes a provisioning script can gate on."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from service.cli import main
from tests.support import spec_example


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_quick_supported_exits_0_with_json(capsys):
    code, out, _ = run(capsys, "quick", "2x10G,1x1G")
    assert code == 0
    assert json.loads(out)["classification"] == "supported"


def test_quick_not_recommended_exits_1(capsys):
    code, out, _ = run(capsys, "quick", "1x10G,1x1G", "--nodes", "2", "--format", "markdown")
    assert code == 1
    assert out.startswith("**Not recommended**")


@pytest.mark.parametrize("argv, message", [
    (("quick", "2x10Q"), "error: /inventory: unknown unit 'Q'"),
    (("quick", "2x10G", "--nodes", "65"), "error: /nodes: expected nodes from 1 to 64"),
    (("quick", "2x10G", "--node", "hv09"), "error: /node: no node named 'hv09'"),
    (("evaluate", "no-such-file.json"), "cannot read no-such-file.json"),
    (("quick", "2x10G", "--node", "node1"), "error: /node: a node applies to powershell"),
])
def test_bad_input_exits_2_with_the_message_on_stderr(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err


def test_a_bad_option_exits_2_too(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["quick", "2x10G", "--format", "html"])
    assert exited.value.code == 2
    assert "invalid choice: 'html'" in capsys.readouterr().err


def test_evaluate_reads_a_file_and_renders_each_format(capsys, tmp_path):
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps(spec_example()))
    expectations = {"json": '"classification": "supported"', "markdown": "**Supported**",
                    "powershell": "New-NetQosPolicy", "gpedit": "gpedit.msc",
                    "reg": "Windows Registry Editor Version 5.00", "svg": "<svg "}
    for fmt, expected in expectations.items():
        node = [] if fmt in ("json", "markdown") else ["--node", "hv01"]
        code, out, _ = run(capsys, "evaluate", str(path), "--format", fmt, *node)
        assert code == 0 and expected in out, fmt


def test_evaluate_refuses_an_invalid_description_naming_the_field(capsys, tmp_path):
    path = tmp_path / "bad.json"
    body = spec_example()
    body["nodes"][0]["adapters"][0]["speed_mbps"] = 5
    body["colour"] = "red"
    path.write_text(json.dumps(body))
    code, out, err = run(capsys, "evaluate", str(path))
    assert (code, out) == (2, "")
    assert "/nodes/0/adapters/0/speed_mbps" in err and "/colour: Unknown field." in err


def test_evaluate_reads_standard_input_through_python_m_service(tmp_path):
    """The real entry point, as a provisioning script runs it."""
    done = subprocess.run([sys.executable, "-m", "service", "evaluate", "-", "--format", "reg"],
                          input=json.dumps(spec_example()), capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\QoS\\hv01-live-migration]" \
        in done.stdout
    bad = subprocess.run([sys.executable, "-m", "service", "evaluate", "-"], input="{nan",
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "not valid JSON" in bad.stderr and bad.stdout == ""


def test_help_documents_formats_and_exit_codes():
    done = subprocess.run([sys.executable, "-m", "service", "--help"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0
    for word in ("evaluate", "quick", "exit codes", "0  recommended or supported",
                 "1  not recommended or unsupported", "2  bad input"):
        assert word in done.stdout
    quick = subprocess.run([sys.executable, "-m", "service", "quick", "--help"],
                           capture_output=True, text=True, check=False)
    for word in ("--format", "json,markdown,powershell,reg,gpedit,svg", "--node", "GbE"):
        assert word in quick.stdout
