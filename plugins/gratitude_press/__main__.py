"""The command line of the writer's week: ``gratitude-press COMMAND`` (also
``python -m gratitude_press COMMAND``); ``COMMAND --help`` explains each.

Every Makefile target runs one of these. Each command lives with its concern and
registers its own parser: ``scaffold`` (new), ``build`` (build), ``dev`` (dev,
serve), ``newsletter`` (digest, send, unsubscribes), ``checks`` (check) and
``deploy`` (deploy).
"""

import argparse
import sys

from .build import runner
from .checks import cli as check_cli
from .deploy import cli as deploy_cli
from .dev import cli as dev_cli
from .newsletter import cli as newsletter_cli
from .scaffold import cli as scaffold_cli

DESCRIPTION = """\
Gratitude Press: write, preview, build, check, publish and send.

The week:
  gratitude-press new post "What the week needs"   start a draft
  gratitude-press dev                              preview it; rebuilds on save
  gratitude-press check                            ready to publish as your own?
  gratitude-press build -s publishconf.py --strict --check   (= make publish)
  gratitude-press send --dry-run                   what the digest would send
"""


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="gratitude-press",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subparsers = main_parser.add_subparsers(required=True, metavar="command")
    scaffold_cli.add_command(subparsers)
    runner.add_command(subparsers)
    dev_cli.add_commands(subparsers)
    newsletter_cli.add_command(subparsers)
    check_cli.add_command(subparsers)
    deploy_cli.add_command(subparsers)
    return main_parser


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if _sends(args):  # an email goes out in the writer's name: check that first
        status = check_cli.before_sending(args.settings)
        if status:
            return status
    return args.run(args)


def _sends(args) -> bool:
    """``send`` and ``digest --send``, dry runs included (only they have
    ``--resend-unknown``)."""
    return hasattr(args, "resend_unknown") and bool(args.send or args.dry_run)


if __name__ == "__main__":
    sys.exit(main())
