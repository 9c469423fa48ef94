"""The REST API through the real ASGI app: contracts shared with the CLI, authentication,
roles, and workspace isolation (a test walks every route as a user of another workspace)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from jauge.cli.main import cli
from jauge.web import create_app

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK
from .webstore import AIRLINES, WebStore


@pytest.fixture
def client(web_store: WebStore) -> Iterator[TestClient]:
    with TestClient(create_app(str(web_store.path)), base_url="https://testserver") as c:
        yield c


@pytest.fixture
def writable(fresh_web_store: WebStore) -> Iterator[tuple[TestClient, WebStore]]:
    app = create_app(str(fresh_web_store.path))
    with TestClient(app, base_url="https://testserver") as c:
        yield c, fresh_web_store


def cli_json(args: list[str]) -> Any:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def api_routes(client: TestClient, token: dict[str, str]) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json", headers=token).json()
    return [(m.upper(), p) for p, ops in schema["paths"].items() for m in ops]


def test_every_api_route_needs_a_session_or_a_token(client: TestClient, web_store: WebStore):
    routes = [*api_routes(client, web_store.auth("viewer")), ("GET", "/api/v1/openapi.json")]
    assert len(routes) >= 12
    for method, path in routes:
        for headers in ({}, {"Authorization": "Bearer jauge_not-a-real-token"}):
            r = client.request(method, path, headers=headers)
            assert r.status_code == 401, (method, path, r.status_code)
            assert r.json()["error"]["code"] == "unauthorised"
            assert r.headers["www-authenticate"] == "Bearer"


def test_score_answers_what_the_cli_answers(client: TestClient, web_store: WebStore):
    params = {"org": "Cosmetics brand", "from": "2014-07-01", "to": "2014-12-31"}
    r = client.get("/api/v1/score", params=params, headers=web_store.auth("viewer"))
    assert r.status_code == 200
    cli_answer = cli_json(
        [
            "score",
            "--db",
            str(web_store.path),
            "--workspace",
            "brands",
            "--org",
            "Cosmetics brand",
            "--from",
            "2014-07-01",
            "--to",
            "2014-12-31",
        ]
    )
    assert r.json() == cli_answer
    assert r.json()["score"] is not None and r.json()["fingerprint"]


def test_compare_orgs_and_periods_match_the_cli(client: TestClient, web_store: WebStore):
    query = [("by", "org"), ("org", "United"), ("org", "Delta"), ("org", "Southwest")]
    r = client.get("/api/v1/compare", params=query, headers=web_store.auth("viewer"))
    assert r.status_code == 200
    cli_answer = cli_json(
        [
            "compare",
            "--db",
            str(web_store.path),
            "--workspace",
            "brands",
            "--by",
            "org",
            "--org",
            "United",
            "--org",
            "Delta",
            "--org",
            "Southwest",
        ]
    )
    assert r.json() == cli_answer
    assert [row["org"] for row in r.json()["rows"]] == ["United", "Delta", "Southwest"]
    # found by schemathesis: a period from year 1008 has no earlier period of its length
    ancient = client.get(
        "/api/v1/compare",
        params=[*query, ("from", "1008-01-01")],
        headers=web_store.auth("viewer"),
    )
    assert ancient.status_code == 200
    assert [row["org"] for row in ancient.json()["rows"]] == ["United", "Delta", "Southwest"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize(
    "route",
    [
        "compare?by=org",
        "score?org=Delta",
        "voice?org=Delta",
        "topics?org=Delta",
        "sentiment?org=Delta",
        "people?org=Delta",
        "items?org=Delta",
    ],
)
def test_days_at_the_ends_of_the_calendar_get_an_answer(
    client: TestClient, web_store: WebStore, route: str, day: str
):
    """Found by schemathesis: a window ending on year 1 (or on its last day) once overflowed."""
    for bound in ("from", "to"):
        r = client.get(f"/api/v1/{route}&{bound}={day}", headers=web_store.auth("viewer"))
        assert r.status_code in (200, 400), (bound, r.text)
        if r.status_code == 400:
            assert r.json()["error"]["message"]


def test_orgs_items_and_imports(client: TestClient, web_store: WebStore):
    auth = web_store.auth("viewer")
    orgs = client.get("/api/v1/orgs", headers=auth).json()
    assert {o["name"] for o in orgs} == {"Cosmetics brand", *AIRLINES}
    assert orgs == cli_json(["org", "list", "--db", str(web_store.path), "--workspace", "brands"])

    first = client.get("/api/v1/items", params={"org": "Delta", "limit": 100}, headers=auth).json()
    assert first["total"] == 250 and len(first["items"]) == 100 and first["next_offset"] == 100
    last = client.get(
        "/api/v1/items", params={"org": "Delta", "limit": 100, "offset": 200}, headers=auth
    ).json()
    assert len(last["items"]) == 50 and last["next_offset"] is None
    ids = {i["item_id"] for i in first["items"]} | {i["item_id"] for i in last["items"]}
    assert len(ids) == 150
    beyond = client.get(  # found by schemathesis: an offset past any integer the engine takes
        "/api/v1/items", params={"org": "Delta", "offset": 2**63}, headers=auth
    ).json()
    assert beyond["items"] == [] and beyond["total"] == 250 and beyond["next_offset"] is None
    dates = [i["created_at"] for i in first["items"]]
    assert dates == sorted(dates, reverse=True)
    assert all(i["org"] == "Delta" and i["sentiment"] for i in first["items"])

    found = client.get("/api/v1/items", params={"q": "MY LUGGAGE"}, headers=auth).json()
    assert found["total"] >= 1
    assert all("my luggage" in i["text"].lower() for i in found["items"])

    imports = client.get("/api/v1/imports", headers=auth).json()
    assert {i["source"] for i in imports} == {
        "facebook-insights",
        "tweets-csv",
        "web-analytics-csv",
        "costs-csv",
    }


def test_listening_routes(client: TestClient, web_store: WebStore):
    auth = web_store.auth("viewer")
    voice = client.get("/api/v1/voice", params=[("org", a) for a in AIRLINES], headers=auth).json()
    assert sum(o["mentions"] for o in voice["orgs"]) >= 1500
    assert abs(sum(o["share_of_voice"] for o in voice["orgs"]) - 1) < 1e-6
    trend = client.get("/api/v1/sentiment", params={"org": "United"}, headers=auth).json()
    assert sum(p["mentions"] for p in trend) >= 250
    assert all(p["positive"] + p["neutral"] + p["negative"] <= p["mentions"] for p in trend)
    topics = client.get("/api/v1/topics", params={"org": "United"}, headers=auth).json()
    assert topics["top"] and topics["org"] == "United"


def test_people_answers_what_the_cli_answers(client: TestClient, web_store: WebStore):
    auth = web_store.auth("viewer")
    for extra in ([], ["--pseudonymise"], ["--topic", "luggage", "--limit", "5"]):
        cli_answer = cli_json(
            ["people", "--db", str(web_store.path), "--workspace", "brands", "--org", "United",
             *extra, "--format", "json"]
        )  # fmt: skip
        params: list[tuple[str, str]] = [("org", "United")]
        params += [("pseudonymise", "true")] if "--pseudonymise" in extra else []
        params += [("topic", "luggage"), ("limit", "5")] if "--topic" in extra else []
        r = client.get("/api/v1/people", params=params, headers=auth)
        assert r.status_code == 200 and r.json() == cli_answer and cli_answer
    top = cli_answer[0]["handle"]
    for extra in ([], ["--pseudonymise"]):
        cli_person = cli_json(
            ["person", top, "--org", "United", "--db", str(web_store.path), "--workspace",
             "brands", *extra, "--format", "json"]
        )  # fmt: skip
        params = [("org", "United"), ("handle", top)]
        params += [("pseudonymise", "true")] if extra else []
        r = client.get("/api/v1/person", params=params, headers=auth)
        assert r.status_code == 200 and r.json() == cli_person and cli_person["windows"]


def test_campaigns_need_the_analyst_role(writable: tuple[TestClient, WebStore]):
    client, store = writable
    body = {
        "name": "Autumn",
        "org": "Cosmetics brand",
        "from": "2014-09-01",
        "to": "2014-11-30",
        "hashtags": ["autumn"],
    }
    r = client.post("/api/v1/campaigns", json=body, headers=store.auth("viewer"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = client.post("/api/v1/campaigns", json=body, headers=store.auth("analyst"))
    assert r.status_code == 201
    listed = client.get("/api/v1/campaigns", headers=store.auth("viewer")).json()
    assert [c["name"] for c in listed] == ["Autumn"]


def test_upload_validates_like_the_cli_and_never_duplicates(
    writable: tuple[TestClient, WebStore], tmp_path: Path
):
    client, store = writable
    auth = store.auth("analyst")
    form = {"source": "tweets-csv"}
    with AIRLINE_TWEETS.open("rb") as f:
        r = client.post(
            "/api/v1/imports", data=form, files={"file": (AIRLINE_TWEETS.name, f)}, headers=auth
        )
    assert r.status_code == 201
    # already imported: nothing new, as `jauge import` would say (the file repeats 2 ids)
    assert (r.json()["inserted"], r.json()["updated"], r.json()["unchanged"]) == (0, 0, 1498)
    # without a source, the one its columns fit reads it, and the answer says which
    with AIRLINE_TWEETS.open("rb") as f:
        r = client.post("/api/v1/imports", files={"file": (AIRLINE_TWEETS.name, f)}, headers=auth)
    assert r.status_code == 201 and r.json()["unchanged"] == 1498
    assert r.json()["files"][0]["source"] == "tweets-csv"
    # the Page's audience for an export without it, as `jauge import --followers`: the UCI
    # file without its first column, "Page total likes"
    lines = UCI_FACEBOOK.read_text("utf-8").splitlines(keepends=True)
    assert lines[0].startswith("Page total likes;")
    page = "".join(line.split(";", 1)[1] for line in lines)
    r = client.post(
        "/api/v1/imports",
        data={"org": "Fans brand", "year": "2014", "followers": "139441"},
        files={"file": ("page.csv", page.encode())},
        headers=auth,
    )
    assert r.status_code == 201 and r.json()["inserted"] == 500
    score = client.get("/api/v1/score", params={"org": "Fans brand"}, headers=auth).json()
    assert score["coverage"]["stratum"] == "facebook|100k-1M"

    # a real file with one value broken: refused whole, with file, line and field
    lines = UCI_FACEBOOK.read_text("utf-8").splitlines(keepends=True)
    broken = lines[5].split(";")
    broken[7] = "many"  # 'Lifetime Post Total Reach'
    lines[5] = ";".join(broken)
    bad = tmp_path / "facebook_export.csv"
    bad.write_text("".join(lines), "utf-8")
    before = client.get("/api/v1/stats", headers=auth).json()["entities"]
    with bad.open("rb") as f:
        r = client.post(
            "/api/v1/imports",
            data={"source": "facebook-insights", "org": "Other brand", "year": "2014"},
            files={"file": (bad.name, f)},
            headers=auth,
        )
    assert r.status_code == 422
    answer = r.json()
    assert answer["invalid"] == 1 and answer["inserted"] == 0
    error = answer["errors"][0]
    assert error["file"] == "facebook_export.csv" and error["line"] == 6
    assert error["field"] == "Lifetime Post Total Reach"
    after = client.get("/api/v1/stats", headers=auth).json()["entities"]
    assert after["items"] == before["items"]
    # the attempt stays in the history, with its first errors and none of its data
    refused = [
        i for i in client.get("/api/v1/imports", headers=auth).json() if i["status"] == "rejected"
    ]
    assert len(refused) == 1 and refused[0]["path"] == "facebook_export.csv"
    assert refused[0]["inserted"] == 0 and refused[0]["errors"][0]["line"] == 6

    with bad.open("rb") as f:
        r = client.post(
            "/api/v1/imports",
            data={"source": "tweets-csv"},
            files={"file": (bad.name, f)},
            headers=store.auth("viewer"),
        )
    assert r.status_code == 403


def test_what_an_upload_lacks_is_named_as_the_api_names_it(
    writable: tuple[TestClient, WebStore], tmp_path: Path
):
    client, store = writable
    posts = b"id,text,created_at\n1,hello,2024-03-01T10:00:00Z\n"
    for lang, said in (
        (
            "en",
            "this file has no platform column: fill in Platform (field platform), for example x",
        ),
        ("fr", "ce fichier n'a pas de colonne platform : remplissez Plateforme (champ platform)"),
    ):
        r = client.post(
            "/api/v1/imports",
            data={"source": "posts-csv", "org": "New brand"},
            files={"file": ("posts.csv", posts)},
            headers={**store.auth("analyst"), "Accept-Language": lang},
        )
        assert r.status_code == 400 and r.json()["error"]["message"].startswith(said)
        assert "--" not in r.text
    # the CLI keeps its own words for the same error
    path = tmp_path / "posts.csv"
    path.write_bytes(posts)
    db = str(tmp_path / "cli.duckdb")
    ran = CliRunner().invoke(cli, ["import", str(path), "--source", "posts-csv", "--db", db])
    assert ran.exit_code == 1 and "pass --platform (e.g. --platform x)" in ran.output


def test_an_unknown_route_or_method_is_told_in_the_readers_language(
    client: TestClient, web_store: WebStore
):
    auth = web_store.auth("viewer")
    for lang, missing, refused in (
        ("en", "there is no page at /api/v1/scores", "DELETE is not allowed at /api/v1/score"),
        (
            "fr",
            "il n'y a pas de page à l'adresse /api/v1/scores",
            "DELETE n'est pas accepté à l'adresse /api/v1/score",
        ),
    ):
        headers = {**auth, "Accept-Language": lang}
        r = client.get("/api/v1/scores", headers=headers)
        assert r.status_code == 404 and r.json()["error"] == {
            "code": "not_found",
            "message": missing,
        }
        r = client.delete("/api/v1/score", headers=headers)
        assert r.status_code == 405 and r.json()["error"] == {
            "code": "method_not_allowed",
            "message": refused,
        }


def test_unknown_org_and_bad_parameters_answer_the_one_error_shape(
    client: TestClient, web_store: WebStore
):
    auth = web_store.auth("viewer")
    r = client.get("/api/v1/score", params={"org": "Nobody"}, headers=auth)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.get("/api/v1/score", params={"org": "Delta", "from": "yesterday"}, headers=auth)
    assert r.status_code == 422
    assert r.json()["error"]["errors"][0]["field"] == "query.from"


@pytest.mark.parametrize(
    ("route", "params", "english", "french"),
    [
        ("score", {"org": "Delta", "from": "notadate"},
         "from: a date like 2014-12-31, got 'notadate'",
         "from : une date comme 2014-12-31, reçu 'notadate'"),
        ("items", {"limit": "many"},
         "limit: a whole number like 20, got 'many'",
         "limit : un nombre entier comme 20, reçu 'many'"),
        ("items", {"limit": "0"}, "limit: 1 or more, got '0'", "limit : 1 ou plus, reçu '0'"),
        ("topics", {"org": "Delta", "limit": "101"},
         "limit: 100 or less, got '101'", "limit : 100 ou moins, reçu '101'"),
        ("compare", {"by": "brand"},
         "by: one of 'period', 'campaign', 'org', got 'brand'",
         "by : une de ces valeurs : 'period', 'campaign', 'org', reçu 'brand'"),
        ("people", {"org": "Delta", "pseudonymise": "maybe"},
         "pseudonymise: true or false, got 'maybe'",
         "pseudonymise : true ou false, reçu 'maybe'"),
        ("value", {"org": "Delta", "conversion_value": "lots"},
         "conversion_value: a number like 12.5, got 'lots'",
         "conversion_value : un nombre comme 12.5, reçu 'lots'"),
        ("score", {}, "org is required", "org est obligatoire"),
        ("score", {"org": ""}, "org must not be empty", "org ne doit pas être vide"),
    ],
)  # fmt: skip
def test_unreadable_parameters_are_named_with_their_value_in_the_clients_language(
    client: TestClient,
    web_store: WebStore,
    route: str,
    params: dict[str, str],
    english: str,
    french: str,
):
    auth = web_store.auth("viewer")
    for lang, expected in (("en", english), ("fr-FR,fr;q=0.9", french)):
        r = client.get(f"/api/v1/{route}", params=params, headers={**auth, "Accept-Language": lang})
        assert r.status_code == 422, r.text
        error = r.json()["error"]
        assert error["code"] == "invalid_request"
        assert error["message"] == expected == error["errors"][0]["message"]
        assert error["errors"][0]["field"] == "query." + expected.split(" ")[0].rstrip(":")


def test_an_unreadable_body_is_told_in_the_clients_language_too(
    client: TestClient, web_store: WebStore
):
    french = {**web_store.auth("analyst"), "Accept-Language": "fr"}
    campaign = {"name": "Soldes", "org": "United", "from": "bientôt", "to": "2015-03-01"}
    r = client.post("/api/v1/campaigns", json=campaign, headers=french)
    assert r.status_code == 422
    assert r.json()["error"]["errors"] == [
        {
            "file": None,
            "line": None,
            "field": "from",
            "message": "from : une date comme 2014-12-31, reçu 'bientôt'",
        }
    ]
    r = client.post(
        "/api/v1/campaigns",
        content=b"{not json",
        headers={**french, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "le corps de la requête n'est pas du JSON valide"


def test_the_openapi_document_declares_the_error_answers_the_api_sends(
    client: TestClient, web_store: WebStore
):
    auth = web_store.auth("viewer")
    schema = client.get("/api/v1/openapi.json", headers=auth).json()
    error = {"$ref": "#/components/schemas/ErrorAnswer"}
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert len(operations) >= 12
    for operation in operations:
        responses = operation["responses"]
        for status in ("400", "401", "403", "404", "422"):
            declared = responses[status]["content"]["application/json"]["schema"]
            assert declared == error or error in declared["anyOf"], (operation, status)
    # FastAPI's own validation error is never sent: jauge answers its error object
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    body = schema["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"code", "message", "errors"}
    assert body["required"] == ["code", "message"]
    item = schema["components"]["schemas"]["ErrorItem"]
    assert set(item["properties"]) == {"file", "line", "field", "message"}
    # and what the server sends fits it, for each kind of error
    from jauge.web.errors import ErrorAnswer

    sent = [
        client.get("/api/v1/me"),
        client.get("/api/v1/score", params={"org": "Nobody"}, headers=auth),
        client.get("/api/v1/score", params={"org": "Delta", "from": "x"}, headers=auth),
        client.get("/api/v1/value", params={"org": "Cosmetics brand", "from": "2014-06-30",
                                            "to": "2014-03-01"}, headers=auth),
        client.post("/api/v1/integrity", headers=auth),
    ]  # fmt: skip
    assert [r.status_code for r in sent] == [401, 404, 422, 400, 403]
    for r in sent:
        assert ErrorAnswer.model_validate(r.json()).error.message


def test_a_user_of_another_workspace_never_reads_or_writes_its_data(
    writable: tuple[TestClient, WebStore],
):
    client, store = writable
    rival = store.auth("rival")
    brand_names = ["Cosmetics brand", *AIRLINES]
    before = client.get("/api/v1/stats", headers=store.auth("owner")).json()
    checked = 0
    for method, path in api_routes(client, rival):
        for params in ({"workspace": "brands"}, {"org": "United"}, {"org": "Cosmetics brand"}):
            kwargs: dict[str, Any] = {"params": params, "headers": rival}
            if method == "POST" and path.endswith("/imports"):
                kwargs["data"] = {"source": "tweets-csv", "org": params.get("org", "United")}
                kwargs["files"] = {"file": (AIRLINE_TWEETS.name, AIRLINE_TWEETS.read_bytes())}
            elif method == "POST":
                kwargs["json"] = {
                    "name": "x",
                    "org": params.get("org", "United"),
                    "from": "2015-01-01",
                    "to": "2015-02-01",
                }
            r = client.request(method, path, **kwargs)
            checked += 1
            if "workspace" in params:
                assert r.status_code in (403, 404), (method, path, params, r.status_code)
            elif r.status_code in (200, 201):
                # the rival's own workspace only (where it may create its own "United")
                data = r.json()
                listed = data if isinstance(data, list) else [data]
                assert all(x.get("workspace", "rival") == "rival" for x in listed), path
                if method == "GET" and "org" not in params:
                    assert not any(name in r.text for name in brand_names), (path, params)
            else:
                assert r.status_code in (403, 404, 422), (method, path, params, r.status_code)
    assert checked >= 36
    # and nothing of brands was read or written: its figures are what they were
    owner = store.auth("owner")
    assert client.get("/api/v1/stats", headers=owner).json() == before
    assert client.get("/api/v1/campaigns", headers=owner).json() == []


def test_another_workspaces_org_answers_exactly_like_a_missing_one(
    client: TestClient, web_store: WebStore
):
    rival = web_store.auth("rival")
    theirs = client.get("/api/v1/score", params={"org": "United"}, headers=rival)
    missing = client.get("/api/v1/score", params={"org": "No such org"}, headers=rival)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == missing.json()["error"]["code"]
    assert "United" not in theirs.json()["error"]["message"].replace("'United'", "")


def test_the_warm_up_answers_exactly_what_the_cli_answers(web_store: WebStore):
    import time

    app = create_app(str(web_store.path))
    auth = web_store.auth("viewer")
    with TestClient(app, base_url="https://testserver") as client:
        state = app.state.jauge
        client.get("/api/v1/voice", params={"org": "Delta"}, headers=auth)  # starts it
        deadline = time.monotonic() + 60
        while state.warmer._running and time.monotonic() < deadline:
            time.sleep(0.05)
        misses = state.cache.misses
        answers = {
            org: client.get("/api/v1/score", params={"org": org}, headers=auth).json()
            for org in ("Delta", "Cosmetics brand")
        }
        trend = client.get(
            "/api/v1/compare",
            params={"by": "period", "org": "Cosmetics brand", "every": "quarter"},
            headers=auth,
        ).json()
        assert state.cache.misses == misses  # all were ready
    assert len(trend["rows"]) >= 4
    assert trend == cli_json(
        [
            "compare",
            "--db",
            str(web_store.path),
            "--workspace",
            "brands",
            "--by",
            "period",
            "--org",
            "Cosmetics brand",
            "--every",
            "quarter",
        ]
    )
    for org, answer in answers.items():
        cli_answer = cli_json(
            ["score", "--db", str(web_store.path), "--workspace", "brands", "--org", org]
        )
        assert answer == cli_answer


def test_readiness_says_when_every_answer_is_warm(writable: tuple[TestClient, WebStore]):
    """/healthz needs no login, reveals no data, and turns warm once the warm-up pass has
    answered every organisation; a change to the store makes it cold again."""
    import time

    client, store = writable
    first = client.get("/healthz")
    assert first.status_code == 200 and set(first.json()) == {"status", "warm"}
    deadline = time.monotonic() + 120
    while not client.get("/healthz").json()["warm"]:
        assert time.monotonic() < deadline, "the warm-up never finished"
        time.sleep(0.2)
    # warm means answered: the default score of every organisation is ready
    state = client.app.state.jauge  # type: ignore[attr-defined]
    version = state.gate.data_version()
    from jauge.web.warmup import score_key

    for org in ("Delta", "United", "Cosmetics brand"):
        assert state.cache.peek(score_key("brands", version, org)) is not None, org

    body = {"name": "Autumn", "org": "Cosmetics brand", "from": "2014-09-01", "to": "2014-11-30"}
    assert client.post("/api/v1/campaigns", json=body, headers=store.auth("analyst")).is_success
    assert client.get("/healthz").json()["warm"] is False


def test_integrity_is_read_by_anyone_and_run_by_analysts(writable: tuple[TestClient, WebStore]):
    client, store = writable
    viewer, analyst = store.auth("viewer"), store.auth("analyst")
    never = client.get("/api/v1/integrity", headers=viewer).json()
    assert never["assessed_at"] is None and never["accounts"] == []
    r = client.post("/api/v1/integrity", headers=viewer)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = client.post("/api/v1/integrity", params={"limit": 5}, headers=analyst)
    assert r.status_code == 200
    ran = r.json()
    # the same fields as `jauge integrity --format json`
    cli_ran = cli_json(["integrity", "--db", str(store.path), "--workspace", "brands"])
    assert set(ran) == set(cli_ran) and ran["persons"] == cli_ran["persons"] > 0
    latest = client.get("/api/v1/integrity", headers=viewer).json()
    assert latest["assessed_at"] and latest["method"] == "jauge-integrity/1.0.0"
    assert (latest["persons"], latest["flagged"]) == (cli_ran["persons"], cli_ran["flagged"])


def test_value_answers_what_the_cli_answers(client: TestClient, web_store: WebStore):
    auth = web_store.auth("viewer")
    base = ["value", "--db", str(web_store.path), "--workspace", "brands"]
    for extra, params in (
        ([], {}),
        (["--campaign", "936", "--conversion-value", "50"],
         {"campaign": "936", "conversion_value": "50"}),
        (["--from", "2014-03-01", "--to", "2014-06-30"],
         {"from": "2014-03-01", "to": "2014-06-30"}),
    ):  # fmt: skip
        cli_answer = cli_json([*base, "--org", "Cosmetics brand", *extra])
        r = client.get("/api/v1/value", params={"org": "Cosmetics brand", **params}, headers=auth)
        assert r.status_code == 200 and r.json() == cli_answer
        # campaign 936 is in the ad costs only: its funnel has spend and no sessions
        assert cli_answer["funnel"]["spend" if "campaign" in params else "sessions"] > 0
    other = client.get("/api/v1/value", params={"org": "Le Monde"}, headers=auth)
    assert other.status_code == 404  # another workspace's organisation is not there
    for params, status in (
        ({"conversion_value": "inf"}, 422),  # refused by the parameter's own check
        ({"conversion_value": "nan"}, 422),
        ({"from": "2014-06-30", "to": "2014-03-01"}, 400),
        ({"campaign": "nope"}, 404),
    ):
        r = client.get("/api/v1/value", params={"org": "Cosmetics brand", **params}, headers=auth)
        assert r.status_code == status, (params, r.text)
        assert r.json()["error"]["message"]


def test_an_upload_renames_columns_with_repeated_map_fields(
    writable: tuple[TestClient, WebStore],
) -> None:
    """`map` is `jauge import --map`: one COLUMN=FIELD per field, repeated."""
    from .conftest import FRENCH_MAP, FRENCH_TWEETS_CSV

    client, store = writable
    form = {"source": "posts-csv", "org": "Médias", "platform": "x"}
    pairs = [f"{column}={field}" for column, field in FRENCH_MAP.items()]
    with FRENCH_TWEETS_CSV.open("rb") as f:
        r = client.post(
            "/api/v1/imports",
            data={**form, "map": pairs},
            files={"file": (FRENCH_TWEETS_CSV.name, f)},
            headers=store.auth("analyst"),
        )
    assert r.status_code == 201, r.text
    with FRENCH_TWEETS_CSV.open(newline="", encoding="utf-8") as f:
        rows = sum(1 for _ in csv.reader(f)) - 1  # texts hold quoted new lines
    assert r.json()["inserted"] + r.json()["unchanged"] == rows > 100
    with FRENCH_TWEETS_CSV.open("rb") as f:
        r = client.post(
            "/api/v1/imports",
            data={**form, "map": ["id_tweet"]},
            files={"file": (FRENCH_TWEETS_CSV.name, f)},
            headers=store.auth("analyst"),
        )
    assert r.status_code == 400, r.text
    assert "Rename columns (field map) takes one COLUMN=FIELD" in r.text
