"""What the benchmark programs share on the command line: options, databases, output."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager

from benchmarks import databases

DEFAULT_SEED = 20260302

DatabaseFactory = Callable[[], AbstractContextManager[databases.Target]]


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """--scale, --database-url, --postgres and --seed, the same for every benchmark."""
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every count (default 1)")
    parser.add_argument(
        "--database-url",
        help="an empty database to run on (default: a fresh SQLite file in a temp dir, WAL)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also run on PostgreSQL, in a fresh schema of this database (dropped afterwards)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")


def check_scale(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.scale <= 0:
        parser.error("--scale must be greater than zero")


def database_factories(args: argparse.Namespace) -> list[DatabaseFactory]:
    """The given database or a fresh SQLite file, then a fresh PostgreSQL schema if asked."""
    factories: list[DatabaseFactory] = [
        (lambda: databases.given(args.database_url)) if args.database_url else databases.fresh_sqlite
    ]
    if args.postgres:
        factories.append(lambda: databases.fresh_postgres_schema(args.postgres))
    return factories


def say(text: str) -> None:
    print(text, flush=True)


def run_on_each_database(args: argparse.Namespace, title: str, run: Callable[[str, str], bool]) -> int:
    """Print the machine, then `run(url, description)` on every database asked for, with
    the load before and after and the peak memory; 0 when every run's checks passed."""
    from benchmarks.machine import load_line, machine_line, peak_rss_mib, python_line

    say(f"{title}: scale {args.scale:g}, seed {args.seed}")
    say(machine_line())
    say(python_line())
    ok = True
    for database in database_factories(args):
        say("")
        say(load_line())
        with database() as target:
            ok = run(target.url, target.description) and ok
        say(f"peak memory (RSS, this process so far): {peak_rss_mib():.1f} MiB")
        say(load_line())
    return 0 if ok else 1

