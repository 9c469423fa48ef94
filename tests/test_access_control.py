"""QA findings of the agency admin: taking access away (users, roles, API tokens), the
session key out of the store, roles given without a new password, import paths hidden
from viewers, and `user add` without a terminal. A real store with the UCI Facebook
export, the real ASGI app, real subprocesses."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

import jauge
from jauge.cli.main import cli
from jauge.users import add_user, add_workspace, check_password, create_token, password_stamp
from jauge.users import user_id_of as uid
from jauge.web import create_app

from .conftest import UCI_FACEBOOK
from .test_web_pages import login

PW = "correcthorse1"
KARIM, ALICE, BOB = "karim@agency.example", "alice@a.example", "bob@b.example"
JAUGE = str(Path(sys.executable).parent / "jauge")


@pytest.fixture
def agency(tmp_path: Path) -> Path:
    """The QA's agency store, smaller: two clients, the Facebook export in clienta."""
    db = tmp_path / "agency.duckdb"
    with jauge.open(db, workspace="clienta") as j:
        for w in ("clienta", "clientb"):
            add_workspace(j.store, w)
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="BrandA", year=2014).ok
        add_user(j.store, ALICE, PW, "clienta", "viewer")
        add_user(j.store, BOB, PW, "clientb", "analyst")
        for w in ("clienta", "clientb"):
            add_user(j.store, KARIM, PW, w, "owner")
    return db


@pytest.fixture
def client(agency: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(agency)), base_url="https://testserver") as c:
        yield c


def run(db: Path, *args: str, stdin: str | None = None, **env: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [*args, "--db", str(db)], input=stdin, env=env)


def token_for(db: Path, email: str) -> str:
    with jauge.open(db) as j:
        return create_token(j.store, email)


def me(client: TestClient, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/api/v1/me", headers=headers).status_code


# F1 — an admin can list users and tokens, and take access away


def test_user_list_shows_roles_and_never_a_hash(agency: Path) -> None:
    everyone = run(agency, "user", "list", "--format", "json")
    assert everyone.exit_code == 0, everyone.output
    assert json.loads(everyone.stdout) == [
        {"email": ALICE, "workspaces": [{"workspace": "clienta", "role": "viewer"}]},
        {"email": BOB, "workspaces": [{"workspace": "clientb", "role": "analyst"}]},
        {
            "email": KARIM,
            "workspaces": [
                {"workspace": "clienta", "role": "owner"},
                {"workspace": "clientb", "role": "owner"},
            ],
        },
    ]
    b = run(agency, "user", "list", "--workspace", "clientb", "--format", "json")
    assert [u["email"] for u in json.loads(b.stdout)] == [BOB, KARIM]
    table = run(agency, "user", "list").stdout
    assert "karim@agency.example  clienta (owner), clientb (owner)" in table
    assert "argon2" not in table + everyone.stdout
    nosuch = run(agency, "user", "list", "--workspace", "clientz")
    assert nosuch.exit_code == 1 and "no workspace 'clientz'" in nosuch.output


def test_removing_a_role_or_a_user_ends_their_access_at_once(
    agency: Path, client: TestClient
) -> None:
    token = token_for(agency, KARIM)
    login(client, KARIM, PW)
    assert me(client) == 200 and me(client, token) == 200
    one = run(agency, "user", "remove", KARIM, "--workspace", "clienta", "--format", "json")
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout)["user"]["workspaces"] == [
        {"workspace": "clientb", "role": "owner"}
    ]
    # the session and the token still work, for what is left
    assert client.get("/api/v1/orgs", params={"workspace": "clienta"}).status_code == 404
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert answer["workspaces"] == [{"workspace": "clientb", "role": "owner"}]
    # the last role: the user goes, with their session and token
    last = run(agency, "user", "remove", KARIM, "--workspace", "clientb")
    assert last.exit_code == 0 and "removed, with their sessions and API tokens" in last.output
    assert me(client) == 401 and me(client, token) == 401
    assert json.loads(run(agency, "token", "list", "--format", "json").stdout) == []


def test_removing_a_user_everywhere(agency: Path, client: TestClient) -> None:
    token = token_for(agency, ALICE)
    assert me(client, token) == 200
    gone = run(agency, "user", "remove", ALICE, "--format", "json")
    assert json.loads(gone.stdout) == {"email": ALICE, "removed": True, "user": None}
    assert me(client, token) == 401
    again = run(agency, "user", "remove", ALICE)
    assert again.exit_code == 1 and "no user 'alice@a.example'" in again.output
    not_hers = run(agency, "user", "remove", BOB, "--workspace", "clienta")
    assert not_hers.exit_code == 1
    assert "'bob@b.example' holds no role in workspace 'clienta' (theirs: clientb)" in (
        not_hers.output
    )


def test_token_list_and_revoke(agency: Path, client: TestClient) -> None:
    alices, bobs = token_for(agency, ALICE), token_for(agency, BOB)
    listed = run(agency, "token", "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    tokens = json.loads(listed.stdout)
    assert [(t["user"], t["prefix"]) for t in tokens] == [(ALICE, alices[:10]), (BOB, bobs[:10])]
    assert alices not in listed.stdout and bobs not in listed.stdout
    assert {t["id"] for t in tokens} == {
        row[0][:12] for row in _rows(agency, "SELECT token_hash FROM api_tokens")
    }
    only_bob = json.loads(run(agency, "token", "list", "--user", BOB, "--format", "json").stdout)
    assert [t["user"] for t in only_bob] == [BOB]
    # by id
    revoked = run(agency, "token", "revoke", tokens[0]["id"], "--format", "json")
    assert revoked.exit_code == 0, revoked.output
    assert json.loads(revoked.stdout)["revoked"]["user"] == ALICE
    assert me(client, alices) == 401 and me(client, bobs) == 200
    # by prefix, and by the token itself
    assert run(agency, "token", "revoke", bobs[:10]).exit_code == 0
    assert me(client, bobs) == 401
    third = token_for(agency, BOB)
    assert run(agency, "token", "revoke", third).exit_code == 0 and me(client, third) == 401
    unknown = run(agency, "token", "revoke", tokens[0]["id"])
    assert unknown.exit_code == 1 and "`jauge token list` shows each token's id" in unknown.output


def test_a_new_password_ends_tokens_as_it_ends_sessions(agency: Path, client: TestClient) -> None:
    token = token_for(agency, ALICE)
    login(client, ALICE, PW)
    # the same password again (a script adding roles with it) logs nobody out
    same = run(agency, "user", "add", ALICE, "--workspace", "clienta", "--role", "viewer",
               "--password-env", "PW", PW=PW)  # fmt: skip
    assert same.exit_code == 0, same.output
    assert me(client) == 200 and me(client, token) == 200
    reset = run(agency, "user", "add", ALICE, "--workspace", "clienta", "--role", "viewer",
                "--password-env", "PW", PW="newpassword99")  # fmt: skip
    assert reset.exit_code == 0, reset.output
    assert me(client) == 401 and me(client, token) == 401
    # asked at a prompt with --reset-password
    asked = run(agency, "user", "add", ALICE, "--workspace", "clienta", "--role", "viewer",
                "--reset-password", stdin="third password\nthird password\n")  # fmt: skip
    assert asked.exit_code == 0, asked.output
    with jauge.open(agency) as j:
        assert check_password(j.store, ALICE, "third password")


# F5 — a role in another workspace, without a new password


def test_a_role_in_another_workspace_keeps_the_password_and_the_sessions(
    agency: Path, client: TestClient
) -> None:
    login(client, BOB, PW)
    token = token_for(agency, BOB)
    with jauge.open(agency) as j:
        stamp = password_stamp(j.store, uid(BOB))
    # no prompt: stdin is empty, and nothing is asked
    given = run(agency, "user", "add", BOB, "--workspace", "clienta", "--role", "viewer",
                "--format", "json", stdin="")  # fmt: skip
    assert given.exit_code == 0, given.output
    assert json.loads(given.stdout)["workspaces"] == [
        {"workspace": "clienta", "role": "viewer"},
        {"workspace": "clientb", "role": "analyst"},
    ]
    with jauge.open(agency) as j:
        assert password_stamp(j.store, uid(BOB)) == stamp
        assert check_password(j.store, BOB, PW)
    assert me(client) == 200 and me(client, token) == 200
    assert client.get("/api/v1/orgs", params={"workspace": "clienta"}).status_code == 200
    # a new user still needs a password
    new = run(agency, "user", "add", "eve@a.example", "--workspace", "clienta", "--role",
              "viewer", stdin="a password 1\na password 1\n")  # fmt: skip
    assert new.exit_code == 0 and "Password" in new.output


# F4 — the session key is not in the store


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with jauge.open(db) as j:  # the server may hold the file: share its database
        return [tuple(r) for r in j.store.con.execute(sql).fetchall()]


def test_a_copy_of_the_store_cannot_sign_a_session(agency: Path, client: TestClient) -> None:
    login(client, KARIM, PW)
    assert me(client) == 200
    tables = {r[0] for r in _rows(agency, "SELECT table_name FROM information_schema.tables")}
    assert "web_secrets" not in tables and "users" in tables
    key_file = Path(str(agency) + ".session-key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text("utf-8").strip()
    assert len(key) >= 48 and key.encode() not in agency.read_bytes()


def test_the_migration_drops_the_key_a_store_held(agency: Path, client: TestClient) -> None:
    # the store as jauge before this fix left it: schema 13, the key in web_secrets
    old_key = "a key that an older jauge kept in the store, 48 characters"
    con = duckdb.connect(str(agency))
    con.execute("DELETE FROM schema_migrations WHERE version > 13")
    # undo migrations 15 and 16 too, so that they run again
    con.execute("DROP VIEW metric_snapshots")
    con.execute("ALTER TABLE metric_snapshot_rows RENAME TO metric_snapshots")
    con.execute("ALTER TABLE content_items DROP COLUMN first_snapshot")
    con.execute("ALTER TABLE content_items DROP COLUMN last_observed_at")
    con.execute(
        "CREATE TABLE web_secrets (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, "
        "created_at TIMESTAMP NOT NULL)"
    )
    con.execute("INSERT INTO web_secrets VALUES ('session_key', ?, now())", [old_key])
    (user_id, hashed), *_ = con.execute(
        "SELECT user_id, password_hash FROM users WHERE email = ?", [KARIM]
    ).fetchall()
    con.close()
    # the QA's forged cookie: signed with the key read from a copy of the store
    import hashlib

    forged = URLSafeTimedSerializer(old_key, salt="jauge-session").dumps(
        {"uid": user_id, "sid": "forged", "csrf": "x",
         "pw": hashlib.sha256(str(hashed).encode()).hexdigest()[:16]}
    )  # fmt: skip
    client.cookies.set("jauge_session", forged)
    assert me(client) == 401
    tables = {r[0] for r in _rows(agency, "SELECT table_name FROM information_schema.tables")}
    assert "web_secrets" not in tables


def test_jauge_secret_key_makes_no_key_file(agency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAUGE_SECRET_KEY", "a key from the service's environment")
    with TestClient(create_app(str(agency)), base_url="https://testserver") as c:
        login(c, KARIM, PW)
        assert me(c) == 200
    assert not Path(str(agency) + ".session-key").exists()


# F7 — viewers get the file's name, not the server's folders


def test_import_history_shows_folders_only_to_those_who_import(
    agency: Path, client: TestClient
) -> None:
    login(client, ALICE, PW)
    [viewer] = client.get("/api/v1/imports").json()
    assert viewer["path"] == "dataset_Facebook.csv"
    assert str(UCI_FACEBOOK.parent) not in client.get("/api/v1/imports").text
    karim = client.get(
        "/api/v1/imports", headers={"Authorization": f"Bearer {token_for(agency, KARIM)}"}
    ).json()
    assert karim[0]["path"] == str(UCI_FACEBOOK)


# F10 — `user add` without a terminal goes straight to its error


def test_user_add_without_a_terminal_prints_no_prompt_nor_warning(agency: Path) -> None:
    args = [JAUGE, "user", "add", "eve@a.example", "--workspace", "clienta", "--role",
            "viewer", "--db", str(agency)]  # fmt: skip
    env = {**os.environ, "JAUGE_LANG": "en"}
    done = subprocess.run(args, input="\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "GetPassWarning" not in done.stderr and "Password" not in done.stderr + done.stdout
    assert re.match(r"error: no terminal to ask the password on: put it in an environment",
                    done.stderr)  # fmt: skip
    as_json = subprocess.run([*args, "--format", "json"], input="\n", capture_output=True,
                             text=True, env=env, timeout=60)  # fmt: skip
    assert json.loads(as_json.stdout)["error"]["code"] == "usage" and not as_json.stderr
