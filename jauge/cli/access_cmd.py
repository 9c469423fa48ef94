"""``jauge workspace``, ``jauge user`` and ``jauge token``: who may see which client's data."""

from __future__ import annotations

import os
import sys

import click

from ..i18n import _
from .options import db_option, format_option
from .output import console, literal, opened, print_json, reported

WORKSPACE_EPILOG = """
\b
Examples:
  jauge workspace add acme            # one workspace per client
  jauge workspace list --format json
"""

USER_EPILOG = """
\b
Examples:
  jauge user add ana@agency.example --workspace acme --role analyst   # asks a password
  JAUGE_PW=... jauge user add bot@agency.example --workspace acme --role viewer \\
      --password-env JAUGE_PW
"""

TOKEN_EPILOG = """
\b
Examples:
  jauge token create --user ana@agency.example --format json
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/orgs
"""


@click.group("workspace", epilog=WORKSPACE_EPILOG)
def workspace_group() -> None:
    """Workspaces: an agency keeps one per client, and users see only their own."""


@workspace_group.command("add", epilog=WORKSPACE_EPILOG)
@click.argument("name")
@db_option
@format_option("table", "json")
def workspace_add_command(name: str, db: str | None, fmt: str) -> None:
    """Create a workspace (nothing happens if it exists)."""
    from jauge.users import add_workspace

    with opened(db, fmt=fmt) as handle:
        created = add_workspace(handle.store, name)
    if fmt == "json":
        print_json({"workspace": name, "created": created})
    else:
        message = (
            _("workspace [bold]{name}[/] created")
            if created
            else _("workspace [bold]{name}[/] already exists")
        )
        console().print(message.format(name=literal(name)))


@workspace_group.command("list", epilog=WORKSPACE_EPILOG)
@db_option
@format_option("table", "json")
def workspace_list_command(db: str | None, fmt: str) -> None:
    """The workspaces of the store."""
    from jauge.store.access import workspace_names

    with opened(db, fmt=fmt) as handle:
        names = workspace_names(handle.store)
    if fmt == "json":
        print_json([{"workspace": n} for n in names])
    else:
        for n in names:
            click.echo(n)


@click.group("user", epilog=USER_EPILOG)
def user_group() -> None:
    """Users of the web dashboard and the API, with a role per workspace."""


@user_group.command("add", epilog=USER_EPILOG)
@click.argument("email")
@click.option("--workspace", required=True, metavar="NAME", help="Workspace to give access to.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["owner", "analyst", "viewer"]),
    help="viewer reads; analyst also imports and defines campaigns; owner manages all.",
)
@click.option(
    "--password-env",
    metavar="VAR",
    help="Read the password from this environment variable instead of a prompt.",
)
@db_option
@format_option("table", "json")
def user_add_command(
    email: str, workspace: str, role: str, password_env: str | None, db: str | None, fmt: str
) -> None:
    """Add a user (or give an existing one a role in another workspace, with a new
    password)."""
    import jauge
    from jauge.errors import ConfigError, NotFoundError, UsageError
    from jauge.store.access import workspace_exists
    from jauge.users import add_user

    with reported(fmt):
        # checked before the password is typed (twice), and the store closed again: a
        # prompt left waiting must not keep the store locked for the other commands
        with jauge.open(db) as handle:
            if not workspace_exists(handle.store, workspace):
                raise NotFoundError(
                    _(
                        "no workspace {name}: create it first with `jauge workspace add "
                        "{workspace}`",
                        name=repr(workspace),
                        workspace=workspace,
                    )
                )
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise ConfigError(
                    _("--password-env {name}: that variable is not set", name=password_env)
                )
        else:
            try:
                password = click.prompt(
                    _("Password"),
                    hide_input=True,
                    confirmation_prompt=True,
                    prompt_suffix=_(": "),  # French puts a space before the colon
                )
            except click.Abort:
                if sys.stdin is not None and sys.stdin.isatty():  # Ctrl-C: the user's choice
                    raise
                # no terminal (a script, a container): nobody to ask, so say how to give it
                raise UsageError(
                    _(
                        "no terminal to ask the password on: put it in an environment "
                        "variable and name it with --password-env (JAUGE_PW=... jauge user "
                        "add {email} --workspace {workspace} --role {role} --password-env "
                        "JAUGE_PW)",
                        email=email,
                        workspace=workspace,
                        role=role,
                    )
                ) from None
        handle = jauge.open(db)
        user = add_user(handle.store, email, password, workspace, role)
        handle.close()
    if fmt == "json":
        print_json(user.to_dict())
    else:
        roles = ", ".join(f"{w} ({r})" for w, r in sorted(user.roles.items()))
        console().print(
            _("user [bold]{email}[/]: {roles}", email=literal(user.email), roles=literal(roles))
        )


@click.group("token", epilog=TOKEN_EPILOG)
def token_group() -> None:
    """API tokens, sent as `Authorization: Bearer TOKEN`."""


@token_group.command("create", epilog=TOKEN_EPILOG)
@click.option("--user", "email", required=True, metavar="EMAIL", help="Whose token it is.")
@db_option
@format_option("table", "json")
def token_create_command(email: str, db: str | None, fmt: str) -> None:
    """Create an API token with the user's roles; it is shown once, only its digest is
    kept."""
    from jauge.users import create_token

    with opened(db, fmt=fmt) as handle:
        token = create_token(handle.store, email)
    if fmt == "json":
        print_json({"token": token})
    else:
        click.echo(token)
