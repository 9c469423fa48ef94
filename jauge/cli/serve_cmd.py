"""``jauge serve``: the web dashboard and the REST API on the store."""

from __future__ import annotations

import click

from ..i18n import _
from .options import PORT, db_option
from .output import console, literal, reported

EPILOG = """
\b
Examples:
  jauge serve                                  # http://127.0.0.1:8000
  jauge serve --db client.duckdb --port 8080
  jauge serve --host 0.0.0.0                   # put HTTPS in front (see docs/web.md)
\b
The CLI can import, sync and enrich on the same store while it serves: each
waits for the other for a moment (JAUGE_LOCK_WAIT), nothing is lost.
"""


@click.command("serve", epilog=EPILOG)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=PORT, help="Port to listen on.")
@db_option
def serve_command(host: str, port: int, db: str | None) -> None:
    """Serve the dashboard and the API (/api/v1) until Ctrl-C.

    Exit status: 0 when stopped (Ctrl-C, SIGTERM); 1 when the store cannot be opened, or
    the port is busy or the address is not this machine's (a service manager's
    Restart=on-failure tries again); 2 a usage error (a --host that does not resolve).
    """
    from jauge import settings

    with reported():
        serve(settings.DB.value(db), host, port)


def serve(db: str, host: str, port: int, banner: str = "") -> None:
    """Run the server in this process (one process: the store is one DuckDB file; requests
    run on threads)."""
    import errno
    import socket

    import uvicorn

    import jauge
    from jauge.errors import ConfigError, UsageError
    from jauge.web import create_app

    # open (or make) the store once before listening: a --db whose folder does not exist
    # would otherwise serve a dashboard where every login fails, its /healthz saying ok.
    # This also upgrades the store's schema now rather than inside the first request.
    jauge.open(db).close()
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
                # a name that does not resolve is a usage error (2: trying again will not
                # help); an address this machine does not have (yet: at boot, before the
                # network is up) is refused now, as a busy port is: 1, which a service
                # manager's Restart=on-failure tries again
                refused = UsageError if isinstance(exc, socket.gaierror) else ConfigError
                raise refused(
                    _(
                        "cannot listen on {host} ({reason}): pass another --host",
                        host=host,
                        reason=exc.strerror,
                    )
                ) from exc
            raise ConfigError(
                _(
                    "cannot listen on {host}:{port} ({reason}): pass another --port",
                    host=host,
                    port=port,
                    reason=exc.strerror,
                )
            ) from exc
    out = console()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    out.print(
        _(
            "[bold]jauge[/] serving [cyan]{db}[/] at [bold]http://{host}:{port}/[/]",
            db=literal(db),
            host=literal(shown),
            port=port,
        )
    )
    if banner:
        out.print(banner)
    out.print(_("Press Ctrl-C to stop."))
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning", access_log=False)
