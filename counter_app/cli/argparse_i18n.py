"""argparse's own messages ("usage:", "invalid choice"…) through our catalogue.

argparse looks up ``_`` and ``ngettext`` in its module globals at call time; pointing them
at our translation is the one hook it offers. Listing the message ids here (marked with
``N_``) puts them in the catalogue so the Vietnamese CLI has no English left in its errors.
"""

from __future__ import annotations

import argparse

from counter_app.i18n import N_, _, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    N_("show this help message and exit"),
    N_("positional arguments"),
    N_("options"),
)


def install() -> None:
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
