"""``counter-app say A023 --counter 03``: the sentence the display would speak, and optionally its audio.

For an administrator trying a new call template, and for checking the voice on a machine before opening
day. It reads the centre's ``call_*`` settings when the database exists; before the database is set up it
says so and uses the defaults, so the command also works on a freshly installed display PC.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from counter_app.atomic_file import write_atomically
from counter_app.cli.output import Output
from counter_app.db import migrate
from counter_app.db.database import Database, normalise_url, translate_db_error
from counter_app.domain.announcement import NumberReading, call_phrases, call_sentence, parse_ticket
from counter_app.domain.errors import ValidationError
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.centre_settings import CentreConfig
from counter_app.settings import Settings
from devices.voice import EspeakVoice, chime_wav, concat_wavs, read_wav

CHIME_GAP_MS = 250  # after the chime, before the sentence
REPEAT_GAP_MS = 900  # between the repetitions of the sentence


def register(subparsers: Any) -> None:
    text = _("show (and optionally record) the sentence that calls a ticket to a counter")
    p = subparsers.add_parser("say", help=text, description=text)
    p.add_argument("ticket", help=_("ticket number, e.g. A023"))
    p.add_argument("--counter", required=True, help=_("counter label, e.g. 03"))
    p.add_argument(
        "--wav", type=Path, metavar="FILE", help=_("also write the announcement's audio to this file")
    )
    p.add_argument(
        "--digits", action="store_true", help=_("read the number digit by digit, whatever the setting")
    )
    p.add_argument("--no-chime", action="store_true", help=_("no chime before the sentence"))
    p.set_defaults(handler=say, no_database=True)


def say(app: None, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings) -> int:
    config, service_name = _centre(args.db or settings.resolved_database_url(), args.ticket)
    if config is None:
        print(_("The database is not set up yet: the default call settings are used."), file=sys.stderr)
        config = CentreConfig()
    reading = NumberReading.DIGITS if args.digits else NumberReading(config.call_reading)
    phrases = call_phrases(config.call_template, args.ticket, args.counter, service_name, reading)
    sentence = call_sentence(config.call_template, args.ticket, args.counter, service_name, reading)
    data: dict[str, object] = {"ticket": args.ticket, "counter": args.counter, "sentence": sentence}
    if args.wav is None:
        out.emit(data, sentence)
        return 0
    if not out.json_mode:
        print(sentence, file=out.stream)  # said before the audio is made: a missing voice still shows it
    voice = EspeakVoice(settings.data_dir / "voice-cache")
    speech = voice.render(phrases)
    audio = concat_wavs([speech] * config.call_repeat, gap_ms=REPEAT_GAP_MS)
    chime = bool(config.call_chime) and not args.no_chime
    if chime:
        audio = concat_wavs([chime_wav(read_wav(speech).framerate), audio], gap_ms=CHIME_GAP_MS)
    try:
        write_atomically(args.wav, audio)
    except OSError as exc:
        raise ValidationError(_("The file '{file}' cannot be written.").format(file=args.wav)) from exc
    seconds = read_wav(audio).seconds
    data.update(wav=str(args.wav), seconds=round(seconds, 2), repeat=config.call_repeat, chime=chime)
    if out.json_mode:
        out.emit(data)
    else:
        print(
            _("Audio written to {file} ({seconds} s).").format(file=args.wav, seconds=f"{seconds:.1f}"),
            file=out.stream,
        )
    return 0


def _centre(url: str, ticket: str) -> tuple[CentreConfig | None, str]:
    """The centre's settings and the ticket's service area name, or ``None`` before the database exists.

    Nothing is created or migrated here: an embedded file that is not there yet stays absent. A database
    that exists but cannot be reached is an error, not a reason to fall back silently.
    """
    prefix, _digits = parse_ticket(ticket)
    address = normalise_url(url)
    if address.get_backend_name() == "sqlite" and address.database and not Path(address.database).exists():
        return None, ""
    db = Database(address)
    try:
        if migrate.current_revision(db) is None:
            return None, ""
        app = CounterApp(db)
        names = {area.prefix: area.name for area in app.catalogue.list_areas(include_inactive=True)}
        return app.settings.get(), names.get(prefix, "")
    except SQLAlchemyError as exc:
        raise translate_db_error(exc, db) from exc
    finally:
        db.dispose()
