"""The command line: a thin layer that parses, calls the library, formats and maps errors.

Each subcommand lives in its own module with two functions:
``register(subparsers)`` declares its arguments and sets ``func``; ``func(args)`` runs it
and returns the exit code. Every :class:`~tarjama.errors.TarjamaError` becomes exit code 2
and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import TarjamaError

# Subcommand modules, in the order `tarjama --help` lists them.
COMMANDS = (
    "translate",
    "batch",
    "segment",
    "models",
    "serve",
    "keys",
    "align",
    "memory",
    "check",
    "evaluate",
)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"tarjama: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from .._version import __version__

    parser = _Parser(prog="tarjama", description="Arabic<->English news translation")
    parser.add_argument("--version", action="version", version=f"tarjama {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except TarjamaError as exc:
        print(f"tarjama: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tarjama: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return code
