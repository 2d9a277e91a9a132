"""How every CLI module declares its commands: a group (``counter-app dossier``) and its actions."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from counter_app.cli.output import Output
from counter_app.services.actor import Actor
from counter_app.settings import Settings

Handler = Callable[[Any, Actor, argparse.Namespace, Output, Settings], int]


def command(group: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = group.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


def group(subparsers: Any, name: str, help_text: str) -> Any:
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    return parser.add_subparsers(dest="action", metavar="ACTION", required=True)
