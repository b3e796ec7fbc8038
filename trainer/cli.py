"""Command line: ``trainer`` (the UI) and ``check``, ``export-anki``, ``stats``, ``reviews``,
``fsrs``.

Each subcommand's work lives beside the code it drives; this module only parses arguments and
keeps the start path light (nothing heavy is imported until a subcommand needs it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import __version__

if TYPE_CHECKING:
    from trainer.config import Config


def _bank_arg(p: argparse.ArgumentParser, default: object = None) -> None:
    p.add_argument(
        "--bank",
        type=Path,
        default=default,
        metavar="PATH",
        help="a bank folder or file, a bank's header file (its folder is loaded), or a folder of "
        "banks (the app lets you pick one; commands take --bank FOLDER/NAME) "
        "(default: $TRAINER_BANK, else the bundled thermal rhizotomy bank)",
    )


def _db_arg(p: argparse.ArgumentParser, default: object = None) -> None:
    p.add_argument(
        "--db",
        type=Path,
        default=default,
        metavar="PATH",
        help="review database (default: $TRAINER_DB, else the user data directory)",
    )


def not_a_file(path: Path) -> str:
    """'a FIFO (named pipe)' when ``path`` exists and is not a regular file (nor a folder, which
    the database code reports itself); '' otherwise. A FIFO would hang the first read."""
    import stat

    from trainer.safetext import file_kind

    try:
        mode = path.stat().st_mode
    except OSError:
        return ""  # missing, or unreachable: the database code says which
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    return file_kind(mode)


def _config_arg(p: argparse.ArgumentParser, default: object = None) -> None:
    p.add_argument(
        "--config",
        type=Path,
        default=default,
        metavar="PATH",
        help="settings file (default: $TRAINER_CONFIG, else config.toml in the user config folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Clinical training quiz and spaced repetition. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    _bank_arg(parser)
    _db_arg(parser)
    _config_arg(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check a bank and report every problem")
    _bank_arg(check, argparse.SUPPRESS)
    check.add_argument("--json", action="store_true", help="print a JSON report")

    export = sub.add_parser("export-anki", help="export the bank to an Anki .apkg deck")
    export.add_argument("out", type=Path, metavar="OUT.apkg")
    _bank_arg(export, argparse.SUPPRESS)
    export.add_argument("--topic", action="append", default=[], metavar="T", help="only this topic")
    export.add_argument("--type", action="append", default=[], metavar="T", help="only this type")
    export.add_argument("--force", action="store_true", help="overwrite OUT even if not an .apkg")

    stats = sub.add_parser("stats", help="print study statistics")
    _bank_arg(stats, argparse.SUPPRESS)
    _db_arg(stats, argparse.SUPPRESS)
    stats.add_argument("--json", action="store_true", help="print JSON")
    _config_arg(stats, argparse.SUPPRESS)

    reviews = sub.add_parser(
        "reviews", help="export or import the review history (the revlog CSV of FSRS tools)"
    )
    reviews.add_argument("action", choices=("export", "import"))
    reviews.add_argument("file", type=Path, metavar="FILE")
    _bank_arg(reviews, argparse.SUPPRESS)
    _db_arg(reviews, argparse.SUPPRESS)
    _config_arg(reviews, argparse.SUPPRESS)

    fsrs = sub.add_parser(
        "fsrs",
        help="evaluate FSRS on your history, or fit its parameters to you (needs trainer[fsrs])",
    )
    fsrs.add_argument("action", choices=("evaluate", "optimize"))
    _bank_arg(fsrs, argparse.SUPPRESS)
    _db_arg(fsrs, argparse.SUPPRESS)
    _config_arg(fsrs, argparse.SUPPRESS)
    return parser


DB_COMMANDS = (None, "stats", "reviews", "fsrs")


def load_config(path: Path | None) -> Config:
    """The config file's settings; its problems are printed as warnings (the defaults apply)."""
    from trainer.config import load_config as load
    from trainer.config import resolve_config_path

    config = load(resolve_config_path(path))
    for problem in config.problems:
        sys.stderr.write(f"trainer: warning: {problem}\n")
    return config


def main(argv: Sequence[str] | None = None) -> int:
    """The ``trainer`` command; its output is guarded (trainer.output): escaped, never a
    traceback when it cannot be written or encoded."""
    from trainer import output

    try:
        with output.guarded():
            return _main(argv)
    except output.OutputError as exc:
        output.report(exc)
        return 1


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from trainer import paths
    from trainer.bank.library import library_message, resolve_bank

    if getattr(args, "bank", None) is None:
        args.bank = paths.default_bank()
    target = resolve_bank(args.bank)
    if target.note:
        print(f"trainer: note: {target.note}", file=sys.stderr)
    args.bank = target.path
    if target.kind == "library" and len(target.banks) == 1:
        args.bank = target.banks[0].path
    elif target.kind == "library" and args.command is not None:
        print(f"trainer: {library_message(target)}", file=sys.stderr)
        return 1
    if args.db is None and args.command in DB_COMMANDS:  # only they use a database
        args.db = paths.default_db()
    if args.command in DB_COMMANDS:
        problem = not_a_file(args.db)
        if problem:
            print(
                f"trainer: the database {args.db} is {problem}; give a file with --db",
                file=sys.stderr,
            )
            return 1

    try:
        if args.command == "check":
            from trainer.bank.check import run_check

            return run_check(args.bank, as_json=args.json)
        if args.command == "export-anki":
            from trainer.export.command import run_export

            return run_export(
                args.out, args.bank, topics=args.topic, types=args.type, force=args.force
            )
        if args.command == "stats":
            from trainer.engine.stats_command import run_stats

            return run_stats(
                args.db, args.bank, as_json=args.json, settings=load_config(args.config).settings
            )
        if args.command == "reviews":
            from trainer.engine.commands import run_reviews

            return run_reviews(args.action, args.file, args.bank, args.db, load_config(args.config))
        if args.command == "fsrs":
            from trainer.engine.commands import run_fsrs

            return run_fsrs(args.action, args.bank, args.db, load_config(args.config))
        from trainer.tui.run import run_app

        config = load_config(args.config)
        if target.kind == "library" and len(target.banks) > 1:
            from trainer.tui.screens.library import choose_bank

            chosen, config = choose_bank(target, config)
            if chosen is None:
                return 0
            args.bank = chosen
        return run_app(args.bank, args.db, config)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
