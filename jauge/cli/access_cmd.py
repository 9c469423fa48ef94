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
  jauge user add ana@agency.example --workspace beta --role viewer    # her password stays
  jauge user list --workspace acme --format json
  jauge user remove ana@agency.example --workspace beta               # one role
  jauge user remove ana@agency.example                                # everything
"""

TOKEN_EPILOG = """
\b
Examples:
  jauge token create --user ana@agency.example --format json
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/orgs
  jauge token list --user ana@agency.example
  jauge token revoke 3f9a1c0b2d4e                # an id from `jauge token list`
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
@click.option(
    "--reset-password",
    is_flag=True,
    help="Ask a new password for an existing user (it ends their sessions and API tokens).",
)
@db_option
@format_option("table", "json")
def user_add_command(
    email: str,
    workspace: str,
    role: str,
    password_env: str | None,
    reset_password: bool,
    db: str | None,
    fmt: str,
) -> None:
    """Add a user, or give an existing one a role in a workspace (their password stays,
    unless --password-env or --reset-password gives a new one)."""
    import jauge
    from jauge.errors import ConfigError
    from jauge.users import add_user, require_workspace, user_exists

    with reported(fmt):
        # checked before the password is typed (twice), and the store closed again: a
        # prompt left waiting must not keep the store locked for the other commands
        with jauge.open(db) as handle:
            require_workspace(handle.store, workspace)
            existing = user_exists(handle.store, email)
        password: str | None = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise ConfigError(
                    _("--password-env {name}: that variable is not set", name=password_env)
                )
        elif reset_password or not existing:
            password = _ask_password(email, workspace, role)
        handle = jauge.open(db)
        try:
            user = add_user(handle.store, email, password, workspace, role)
        finally:
            handle.close()
    if fmt == "json":
        print_json(user.to_dict())
    else:
        console().print(
            _(
                "user [bold]{email}[/]: {roles}",
                email=literal(user.email),
                roles=literal(_roles_text(user.roles)),
            )
        )


class _NoInput(Exception):
    """Standard input ended (or is not there) before a password was read."""


def _ask_password(email: str, workspace: str, role: str) -> str:
    """The password, typed twice at a terminal, or read from standard input's first two
    lines when it is a pipe."""
    from click import termui

    from jauge.errors import UsageError

    stdin = sys.stdin
    original = termui.hidden_prompt_func
    # (a prompt function of click's test runner, which reads its input, is left alone)
    if stdin is None or (not stdin.isatty() and original.__module__ == "click.termui"):
        # click's own hidden prompt is getpass, which without a terminal warns (a
        # GetPassWarning naming its source file) and writes "Password:" on stderr before
        # reading the pipe: a script is asked nothing, its lines are read quietly

        def quiet(_prompt: str) -> str:
            line = stdin.readline() if stdin is not None else ""
            if not line:
                raise _NoInput
            return line.rstrip("\r\n")

        setattr(termui, "hidden_prompt_func", quiet)  # noqa: B010 (a function of click's)
    try:
        return str(
            click.prompt(
                _("Password"),
                hide_input=True,
                confirmation_prompt=True,
                prompt_suffix=_(": "),  # French puts a space before the colon
            )
        )
    except (click.Abort, _NoInput):
        if stdin is not None and stdin.isatty():  # Ctrl-C: the user's choice
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
    finally:
        setattr(termui, "hidden_prompt_func", original)  # noqa: B010


def _roles_text(roles: dict[str, str]) -> str:
    return ", ".join(f"{w} ({r})" for w, r in sorted(roles.items()))


@user_group.command("list", epilog=USER_EPILOG)
@click.option(
    "--workspace", metavar="NAME", help="Only the users of this workspace (default: all)."
)
@db_option
@format_option("table", "json")
def user_list_command(workspace: str | None, db: str | None, fmt: str) -> None:
    """The users, with their role in each workspace (never a password or its hash)."""
    from jauge.users import list_users

    with opened(db, fmt=fmt) as handle:
        users = list_users(handle.store, workspace)
    if fmt == "json":
        print_json([u.to_dict() for u in users])
    elif not users:
        console().print(
            _("No user yet: add one with `jauge user add EMAIL --workspace NAME --role viewer`")
        )
    else:
        for u in users:
            click.echo(f"{u.email}  {_roles_text(u.roles)}")


@user_group.command("remove", epilog=USER_EPILOG)
@click.argument("email")
@click.option(
    "--workspace",
    metavar="NAME",
    help="Take away only the user's role in this workspace (default: remove the user).",
)
@db_option
@format_option("table", "json")
def user_remove_command(email: str, workspace: str | None, db: str | None, fmt: str) -> None:
    """Remove a user, or their role in one workspace; a user left without a role is
    removed. Their sessions and API tokens end with them, at their next request."""
    from jauge.users import find_user, remove_user

    with opened(db, fmt=fmt) as handle:
        email = find_user(handle.store, email).email
        left = remove_user(handle.store, email, workspace)
    if fmt == "json":
        print_json({"email": email, "removed": left is None, "user": left and left.to_dict()})
    elif left is None:
        console().print(
            _(
                "user [bold]{email}[/] removed, with their sessions and API tokens",
                email=literal(email),
            )
        )
    else:
        console().print(
            _("user [bold]{email}[/]: {roles}", email=literal(email),
              roles=literal(_roles_text(left.roles)))
        )  # fmt: skip


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


@token_group.command("list", epilog=TOKEN_EPILOG)
@click.option("--user", "email", metavar="EMAIL", help="Only this user's tokens.")
@db_option
@format_option("table", "json")
def token_list_command(email: str | None, db: str | None, fmt: str) -> None:
    """The API tokens: id, prefix, user and when made (never the token itself)."""
    from jauge.users import list_tokens

    with opened(db, fmt=fmt) as handle:
        found = list_tokens(handle.store, email)
    if fmt == "json":
        print_json([t.to_dict() for t in found])
    elif not found:
        console().print(_("No API token: create one with `jauge token create --user EMAIL`"))
    else:
        for t in found:
            click.echo(f"{t.token_id}  {t.prefix}…  {t.email}  {str(t.created_at)[:16]} UTC")


@token_group.command("revoke", epilog=TOKEN_EPILOG)
@click.argument("token")
@db_option
@format_option("table", "json")
def token_revoke_command(token: str, db: str | None, fmt: str) -> None:
    """Revoke an API token, named by its id or prefix (`jauge token list`) or given
    whole; it is refused from the next request on."""
    from jauge.users import revoke_token

    with opened(db, fmt=fmt) as handle:
        gone = revoke_token(handle.store, token)
    if fmt == "json":
        print_json({"revoked": gone.to_dict()})
    else:
        console().print(
            _("API token {id} ({prefix}…) of {email} revoked", id=gone.token_id,
              prefix=literal(gone.prefix), email=literal(gone.email))
        )  # fmt: skip
