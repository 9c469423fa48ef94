"""`jauge workspace`, `jauge user` and `jauge token`: the CLI contracts and the rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.errors import ConfigError, NotFoundError
from jauge.users import add_user, add_workspace, check_password, create_token, user_for_token


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), env=env, input=stdin, catch_exceptions=False)


def test_workspace_user_and_token_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    r = run("workspace", "add", "acme", "--db", db, "--format", "json")
    assert json.loads(r.stdout) == {"workspace": "acme", "created": True}
    r = run("workspace", "add", "acme", "--db", db, "--format", "json")
    assert json.loads(r.stdout)["created"] is False

    r = run(
        "user",
        "add",
        "Ana@Agency.example",
        "--workspace",
        "acme",
        "--role",
        "analyst",
        "--password-env",
        "ANA_PW",
        "--db",
        db,
        "--format",
        "json",
        env={"ANA_PW": "a long passphrase"},
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {
        "email": "ana@agency.example",
        "workspaces": [{"workspace": "acme", "role": "analyst"}],
    }
    # from a prompt, typed twice
    r = run(
        "user",
        "add",
        "bob@agency.example",
        "--workspace",
        "acme",
        "--role",
        "viewer",
        "--db",
        db,
        stdin="another passphrase\nanother passphrase\n",
    )
    assert r.exit_code == 0 and "bob@agency.example" in r.stdout

    r = run("token", "create", "--user", "ana@agency.example", "--db", db, "--format", "json")
    token = json.loads(r.stdout)["token"]
    assert token.startswith("jauge_") and len(token) > 40
    with jauge.open(db) as j:
        user = user_for_token(j.store, token)
        assert user is not None and user.roles == {"acme": "analyst"}
        # only a digest is kept
        stored = j.sql("SELECT token_hash FROM api_tokens").to_pandas()["token_hash"].tolist()
        assert token not in stored and len(stored) == 1
        assert "a long passphrase" not in str(j.sql("SELECT * FROM users").to_pandas())


def test_the_rules_say_what_to_do(tmp_path: Path) -> None:
    with jauge.open(tmp_path / "s.duckdb") as j:
        with pytest.raises(NotFoundError, match="jauge workspace add acme"):
            add_user(j.store, "a@b.example", "long enough", "acme", "viewer")
        add_workspace(j.store, "acme")
        with pytest.raises(ConfigError, match="owner"):
            add_user(j.store, "a@b.example", "long enough", "acme", "admin")
        with pytest.raises(ConfigError, match="8 characters"):
            add_user(j.store, "a@b.example", "short", "acme", "viewer")
        with pytest.raises(ConfigError, match="email"):
            add_user(j.store, "not-an-email", "long enough", "acme", "viewer")
        with pytest.raises(ConfigError, match="workspace name"):
            add_workspace(j.store, "../etc")
        with pytest.raises(NotFoundError, match="jauge user add"):
            create_token(j.store, "nobody@b.example")
        user = add_user(j.store, "a@b.example", "long enough", "acme", "viewer")
        add_workspace(j.store, "beta")
        user = add_user(j.store, "a@b.example", "new password!", "beta", "owner")
        assert user.roles == {"acme": "viewer", "beta": "owner"}
        assert user.may("beta", "analyst") and not user.may("acme", "analyst")
        assert check_password(j.store, "A@B.example", "new password!") is not None
        assert check_password(j.store, "a@b.example", "long enough") is None
        assert check_password(j.store, "nobody@b.example", "long enough") is None
        assert user_for_token(j.store, "jauge_forged") is None


def test_a_missing_password_variable_is_an_error(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run("workspace", "add", "acme", "--db", db)
    r = run(
        "user",
        "add",
        "a@b.example",
        "--workspace",
        "acme",
        "--role",
        "viewer",
        "--password-env",
        "NOT_SET_ANYWHERE",
        "--db",
        db,
        "--format",
        "json",
    )
    assert r.exit_code == 1
    assert "NOT_SET_ANYWHERE" in json.loads(r.stdout)["error"]["message"]
