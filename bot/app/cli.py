"""`parley run | web | worker | clock | stream | doctor | demo | audit export | backup | restore`.

Each command imports what it uses when it runs, and this module imports little more than the
settings: each child of `parley run` (`python -m bot.app.cli web`) loads only its own SDKs, and
`parley run` itself becomes the lean bot.app.supervisor (docs/performance.md, memory).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.app.logs import configure_logging
from bot.app.secrets import secret_values
from bot.app.settings import ConfigError, Settings

if TYPE_CHECKING:
    from bot.app.container import Container

log = logging.getLogger("parley")


def _redis_for(settings: Settings) -> tuple[Any, Any]:
    """(client, embedded server to stop afterwards, or None): REDIS_URL; else the embedded server
    of a running `parley run`, which this command must leave running; else one of its own."""
    from bot.adapters.embedded_redis import running_url
    from bot.adapters.redis_conn import connect, embedded, embedded_url

    if settings.redis_url:
        return connect(settings.redis_url), None
    running = running_url(settings.data_dir)
    if running is not None:
        return connect(running), None
    server = embedded(settings.data_dir)
    return connect(embedded_url(server)), server


def _container(settings: Settings) -> tuple[Container, Any]:
    """The container, and the embedded Redis server (if any) that must stay referenced while it runs."""
    from bot.app.container import build

    client, server = _redis_for(settings)
    return build(settings, client), server


def cmd_web(settings: Settings) -> int:
    from bot.app.admin import serve_admin
    from bot.app.web import serve_http, serve_socket_mode

    container, _server = _container(settings)
    if settings.admin_port:
        serve_admin(container, host=settings.admin_host, port=settings.admin_port)
    if settings.slack_app_token:
        serve_socket_mode(container)
    else:
        serve_http(container, port=settings.port)
    return 0


def cmd_worker(settings: Settings, *, with_clock: bool = False) -> int:
    from bot.app.processes import Clock, run_worker

    container, _server = _container(settings)
    if settings.worker_metrics_port:
        from bot.adapters.metrics import serve_metrics

        # The worker's own counters (API calls, time to Slack and to reply) on a port of its own.
        port = serve_metrics(container.metrics.registry, settings.worker_metrics_port)
        log.info("worker metrics on 127.0.0.1:%d/metrics", port)
    clock = Clock(container) if with_clock else None
    if clock is not None:
        clock.start_beside()
    try:
        run_worker(container)
    finally:
        if clock is not None:
            clock.stopping.set()
    return 0


def cmd_clock(settings: Settings) -> int:
    from bot.app.processes import Clock

    container, _server = _container(settings)
    Clock(container).run()
    return 0


def cmd_stream(settings: Settings) -> int:
    """Keep a stream open per Bluesky and Mastodon account; each post becomes a case within seconds."""
    from bot.app.streaming import run_stream_process

    container, _server = _container(settings)
    return run_stream_process(container)


def cmd_run(settings: Settings) -> int:
    """web + worker + clock as child processes sharing one Redis; a small team needs nothing else.

    The configuration is checked (main); then this process becomes the supervisor (bot.app.supervisor),
    a fresh interpreter with the same process id that imports only the standard library.
    """
    from bot.app.supervisor import command

    args = command(
        data_dir=None if settings.redis_url else settings.data_dir,
        log_json=settings.log_json,
        stream=bool(settings.streamed_accounts),  # no app import: this process execs away
    )
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(args[0], args)  # noqa: S606 - our own interpreter and module


def cmd_doctor(settings: Settings) -> int:
    from bot.app.doctor import diagnose

    ok = True
    for check in diagnose(settings):
        ok &= check.ok
        print(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    print("\nAll good." if ok else "\nParley is not ready: fix the lines marked FAIL.")
    return 0 if ok else 1


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    """`parley audit export`: the audit log as JSON lines, optionally for a date range or one case."""
    import json

    from bot.adapters.audit import export
    from bot.adapters.redis_conn import stop_embedded

    client, server = _redis_for(settings)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        for item in export(client, since=args.since, until=args.until, case_id=args.case):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
        if server is not None:
            stop_embedded(server, save=True)
    return 0


def cmd_forget(settings: Settings, args: argparse.Namespace) -> int:
    """`parley forget <network> <handle>`: erase what Parley holds about one person, and say what."""
    from bot.adapters.redis_conn import stop_embedded
    from bot.domain import Network

    try:
        network = Network(args.network.lower())
    except ValueError:
        print(
            f"Unknown network {args.network!r}: one of {', '.join(n.value for n in Network)}.",
            file=sys.stderr,
        )
        return 2
    container, server = _container(settings)
    try:
        done = container.privacy.forget(network, args.handle)
    finally:
        if server is not None:
            stop_embedded(server, save=True)
    print(
        f"Forgot {args.handle} on {network.label}: {len(done.cases)} conversation(s) erased"
        + (f" ({', '.join(done.cases)})" if done.cases else "")
        + f', {done.slack_messages} Slack message(s) replaced with "removed on request", '
        f"{done.answers} saved example(s) removed. The audit log keeps who did what, without the text."
    )
    return 0


EXTERNAL_REDIS = (
    "REDIS_URL is set: `parley {0}` is for the embedded store. Back up an external Redis with its own "
    "tools (`redis-cli --rdb FILE`, or your provider's snapshots): see docs/deploy.md."
)


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """`parley backup FILE`: a consistent snapshot of the embedded store, while Parley runs or not."""
    from bot.adapters.backup import snapshot
    from bot.adapters.redis_conn import stop_embedded

    if settings.redis_url:
        print(EXTERNAL_REDIS.format("backup"), file=sys.stderr)
        return 2
    client, server = _redis_for(settings)  # joins the running store, else opens it
    try:
        keys = snapshot(client, Path(args.file))
    finally:
        if server is not None:
            stop_embedded(server, save=False)
    print(f"Backed up {keys} keys from {settings.data_dir.resolve()} to {args.file}.")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    """`parley restore FILE`: the embedded store as it was in FILE; refused while Parley runs on it."""
    from bot.adapters.backup import RestoreRefused, restore

    if settings.redis_url:
        print(EXTERNAL_REDIS.format("restore"), file=sys.stderr)
        return 2
    try:
        keys, set_aside = restore(settings.data_dir, Path(args.file))
    except (RestoreRefused, OSError) as error:
        print(f"Nothing restored: {error}", file=sys.stderr)
        return 1
    print(f"Restored {keys} keys from {args.file} into {settings.data_dir.resolve()}.")
    if set_aside is not None:
        print(f"The data it replaced is in {set_aside}.")
    return 0


def _day(value: str) -> datetime:
    """A date (2026-11-26, midnight UTC) or a full ISO timestamp."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def cmd_demo(settings: Settings) -> int:
    from demo.script import run_demo

    return run_demo(locale=settings.locale)


COMMANDS = {
    "run": cmd_run,
    "web": cmd_web,
    "worker": cmd_worker,
    "clock": cmd_clock,
    "stream": cmd_stream,
    "doctor": cmd_doctor,
    "demo": cmd_demo,
}
NEEDS_VALID_CONFIG = {"run", "web", "worker", "clock", "stream"}


class _PrintVersion(argparse.Action):
    """`--version`, looked up only when asked (every process start would pay for the metadata read)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(f"parley {_version()}")
        parser.exit()


def _version() -> str:
    """The installed package's version (pyproject.toml), as pip and the changelog name it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("parley")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="parley", description="Answer your brand's social posts from Slack."
    )
    parser.add_argument(
        "--version", action=_PrintVersion, nargs=0, help="print the installed version and exit"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run", help="web + worker + clock in one command (Socket Mode when SLACK_APP_TOKEN is set)"
    )
    sub.add_parser("web", help="the Slack endpoint: HTTP on $PORT, or Socket Mode")
    worker = sub.add_parser("worker", help="run queued jobs: drafting, posting to Slack and the networks")
    worker.add_argument("--with-clock", action="store_true", help="run the clock in this process too")
    sub.add_parser("clock", help="schedule polls and the safety sweep")
    sub.add_parser("stream", help="keep Bluesky and Mastodon streams open: posts arrive within seconds")
    sub.add_parser("doctor", help="check the configuration and reach every configured service")
    sub.add_parser("demo", help="the whole loop against local emulators, no credentials needed")
    audit = sub.add_parser("audit", help="the audit log of every action")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    export = audit_sub.add_parser("export", help="write the audit log as JSON lines")
    export.add_argument("--since", type=_day, help="from this date or time (UTC unless given)")
    export.add_argument("--until", type=_day, help="up to (not including) this date or time")
    export.add_argument("--case", help="only this case id (e.g. x-1900000000000000001)")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    backup = sub.add_parser("backup", help="write a snapshot of the embedded store to FILE (while running)")
    backup.add_argument("file", metavar="FILE")
    restore = sub.add_parser("restore", help="replace the embedded store with FILE (Parley stopped)")
    restore.add_argument("file", metavar="FILE")
    forget = sub.add_parser("forget", help="erase everything Parley holds about one person (GDPR erasure)")
    forget.add_argument("network", help="x, reddit, facebook, …")
    forget.add_argument("handle", help="their handle on that network (@jane, u/jane or jane)")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    configure_logging(json_lines=settings.log_json, secrets=secret_values(settings))
    if args.command in NEEDS_VALID_CONFIG:
        try:
            settings.require_valid(separate_process="" if args.command == "run" else args.command)
        except ConfigError as error:
            print(f"{error}\n\nRun `parley doctor` for details.", file=sys.stderr)
            return 2
    if args.command in ("audit", "backup", "restore", "forget"):
        run_with_args = {
            "audit": cmd_audit,
            "backup": cmd_backup,
            "restore": cmd_restore,
            "forget": cmd_forget,
        }
        return run_with_args[args.command](settings, args)
    if args.command == "worker":
        return cmd_worker(settings, with_clock=args.with_clock)
    return COMMANDS[args.command](settings)


if __name__ == "__main__":
    sys.exit(main())
