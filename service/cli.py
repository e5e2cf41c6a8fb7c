"""The command line: evaluate a description file or a one-line inventory, gate on the class."""
from __future__ import annotations

import argparse
import sys

from .application import usecases
from .domain.shorthand import GRAMMAR

DESCRIPTION = """\
Classify a Hyper-V failover cluster's network for live migration, following Microsoft's
Hyper-V: Live Migration Network Configuration Guide (Windows Server 2008 R2), with the same
rules as the REST service.

exit codes (so a provisioning script can gate on the answer):
  0  recommended or supported
  1  not recommended or unsupported
  2  bad input (the message is on stderr)
"""
EPILOG = """\
examples:
  python -m service quick "2x10G,1x1G"
  python -m service quick "3x1G team(2,private)" --nodes 2 --format markdown
  python -m service evaluate cluster.json --format powershell > qos.ps1
  python -m service evaluate - --format reg --node hv01 < cluster.json > hv01-qos.reg
  python -m service evaluate cluster.json --format svg --node hv01 > hv01.svg
"""


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and the message on stderr, as the other bad input."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def _formats(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", "-f", choices=usecases.FORMATS, default="json",
                        help="what to print: the evaluation as JSON (default), a short Markdown "
                             "answer, the QoS policies as a PowerShell script, a .reg file "
                             "(one node) or gpedit.msc steps, or an SVG picture of a node's layout; "
                             "a description with \"ruleset\": \"ws2016\" has json, markdown, "
                             "svg and powershell (one node's host networking script)")
    parser.add_argument("--node", help="only this node, for powershell, reg, gpedit and svg "
                                       "(reg needs it when the cluster has several nodes; svg "
                                       "shows the cluster's class without it)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (its --help is the CLI's documentation)."""
    parser = _Parser(prog="python -m service", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    evaluate = commands.add_parser(
        "evaluate", help="evaluate a cluster description (the JSON body of POST /v1/evaluations)",
        description="Evaluate a cluster description: the JSON body of POST /v1/evaluations, "
                    "read from FILE or, with -, from standard input.")
    evaluate.add_argument("file", metavar="FILE|-", help="a JSON file, or - for standard input")
    _formats(evaluate)
    quick = commands.add_parser(
        "quick", help="evaluate a one-line inventory such as 2x10G,1x1G",
        description="Evaluate one node's one-line inventory on identical nodes.",
        epilog=GRAMMAR, formatter_class=argparse.RawDescriptionHelpFormatter)
    quick.add_argument("inventory", help='one node\'s adapters, e.g. "2x10G,1x1G"')
    quick.add_argument("--nodes", type=int, default=1, help="how many identical nodes (1-64)")
    _formats(quick)
    return parser


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise usecases.InvalidInput([{"pointer": "", "detail": f"cannot read {path}: {error}"}]) \
            from None


def run(args: argparse.Namespace) -> int:
    """Run a parsed command: print the rendering, return the exit code."""
    if args.command == "evaluate":
        cluster = usecases.load_description(usecases.parse_json(_read(args.file)))
    else:
        cluster = usecases.load_inventory(args.inventory, args.nodes)
    result = usecases.answer(cluster)
    sys.stdout.write(usecases.render(result, args.format, args.node))
    return result.exit_code


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m service`; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except usecases.InvalidInput as error:
        for item in error.errors:
            print(f"error: {item['pointer'] or '(input)'}: {item['detail']}", file=sys.stderr)
        return 2
