"""Command line: ``python -m gratitude_press build|digest|send|unsubscribes|deploy``
(used by make; ``digest``, ``send`` and ``unsubscribes``: see newsletter/cli.py)."""

import argparse
import sys

from .build import runner
from .deploy import cli as deploy_cli
from .newsletter import cli as newsletter_cli


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="gratitude_press")
    subparsers = parser.add_subparsers(required=True, metavar="command")
    runner.add_command(subparsers)
    newsletter_cli.add_command(subparsers)
    deploy_cli.add_command(subparsers)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
