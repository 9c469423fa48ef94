"""What the dashboard's forms and pages say to a user who has no shell: an upload refused
(its counts, every error, the form kept), empty states, numbers in the page's language,
the posts behind the people's figures, how many people a page lists, the login form."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from .conftest import AIRLINE_TWEETS
from .test_web_pages import csrf_of, login
from .webstore import PASSWORD, WebStore

NNBSP = "\u202f"  # French thousands separator, and the space before % and ;


def text_of(page: str) -> str:
    """What a reader sees of a page's main part (or of a part of a page): tags dropped,
    entities read, runs of spaces and new lines as one space (no-break spaces kept)."""
    main = page.split("<main>")[1].split("</main>")[0] if "<main>" in page else page
    main = re.sub(r"<script.*?</script>", "", main, flags=re.S)
    shown = html.unescape(re.sub(r"<[^>]+>", " ", main))
    return re.sub(r"[ \t\r\n]+", " ", shown).strip()


def result_of(page: str) -> str:
    return page.split('data-testid="import-result"')[1].split("</section>")[0]


def broken_tweets(folder: Path, rows: int | None = None) -> Path:
    """The airline tweets sample with every tweet's retweet count unreadable (or the
    first ``rows`` ones): one error per broken row."""
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    column = table[0].index("retweet_count")
    for row in table[1 : None if rows is None else rows + 1]:
        row[column] = "many"
    path = folder / "tweets_export.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(table)
    return path


def upload(client: TestClient, path: Path, lang: str = "en", **fields: str):
    token = csrf_of(client.get("/sources").text)
    return client.post(
        f"/sources/upload?lang={lang}",
        data={"csrf_token": token, **fields},
        files={"file": (path.name, path.read_bytes())},
    )


def test_a_refused_upload_counts_rows_and_errors_and_says_how_many_are_not_listed(
    writable_client: TestClient, tmp_path: Path
):
    client = login(writable_client, "analyst@brands.example")
    # QA's file: three errors on two rows
    small = tmp_path / "bad_posts.csv"
    small.write_text(
        "id,created_at,text,reactions\n1,2015-02-20T10:00:00Z,hello,5\n"
        "2,not-a-date,bonjour,x\n3,2015-02-21,salut,-1\n",
        "utf-8",
    )
    r = upload(client, small, source="posts-csv", org="Delta", platform="x")
    assert r.status_code == 422
    said = text_of(result_of(r.text))
    assert "Nothing was written: 2 invalid rows, 3 errors." in said
    assert "bad_posts.csv, line 3, field created_at: " in said
    assert "…and" not in said  # every error is listed
    # every tweet of the sample refused: the first errors listed, the others counted
    rows = sum(1 for _ in csv.reader(AIRLINE_TWEETS.open(encoding="utf-8"))) - 1
    assert rows > 1000
    big = broken_tweets(tmp_path)
    r = upload(client, big, source="tweets-csv")
    said = text_of(result_of(r.text))
    listed = result_of(r.text).split('<ul class="errors">')[1].count("<li>")
    assert f"Nothing was written: {rows:,} invalid rows, {rows:,} errors." in said
    assert f"…and {rows - listed:,} more." in said
    # in French: its separators, and a space before the colon of every error
    r = upload(client, big, lang="fr", source="tweets-csv")
    said = text_of(result_of(r.text))
    french = f"{rows:,}".replace(",", NNBSP)
    assert f"Rien n'a été écrit : {french} lignes invalides, {french} erreurs." in said
    assert f"… et {rows - listed:,} de plus.".replace(",", NNBSP) in said
    assert "tweets_export.csv, ligne 2, champ retweet_count : " in said
    history = r.text.split('data-testid="imports"')[1].split("</table>")[0]
    assert "refusé, rien d'écrit : ligne 2, champ retweet_count : " in (text_of(history))
    # the history's counts have their thousands separators too
    assert f"<td>{french}</td>" in history


def test_a_refused_upload_keeps_what_was_typed(writable_client: TestClient, tmp_path: Path):
    client = login(writable_client, "analyst@brands.example")
    typed = {"org": "New & brand", "platform": "x", "year": "2015", "followers": "1200"}
    r = upload(client, broken_tweets(tmp_path, rows=3), source="tweets-csv", **typed)
    assert r.status_code == 422
    form = r.text.split('class="upload"')[1].split("</form>")[0]
    assert "<option selected>tweets-csv</option>" in form
    for name, value in typed.items():
        assert re.search(rf'name="{name}"[^>]* value="{re.escape(html.escape(value))}"', form)
    assert 'name="skip_invalid" value="true">' in form  # left unchecked, as it was
    # a value the form could not read: the rest stays too
    r = upload(client, broken_tweets(tmp_path, rows=3), source="", org="New brand", year="last")
    assert r.status_code == 422 and "a year like 2014" in html.unescape(r.text)
    form = r.text.split('class="upload"')[1].split("</form>")[0]
    assert 'name="org" list="known-orgs" value="New brand"' in form
    assert 'name="year" inputmode="numeric" pattern="[0-9]{4}" value="last"' in form
    # a file imported: the form is ready for the next one
    r = upload(client, AIRLINE_TWEETS, source="tweets-csv", platform="x")
    assert r.status_code == 200
    form = r.text.split('class="upload"')[1].split("</form>")[0]
    assert 'name="platform" value=""' in form


def test_pages_say_what_to_do_in_the_dashboard_not_which_command_to_run(
    writable_client: TestClient, fresh_web_store: WebStore
):
    import jauge
    from jauge.users import add_user, add_workspace

    with jauge.open(fresh_web_store.path) as j:  # a new client, nothing imported yet
        add_workspace(j.store, "empty")
        add_user(j.store, "new@empty.example", PASSWORD, "empty", "owner")
    client = login(writable_client, "new@empty.example")
    for path in ("/listening", "/people", "/value"):
        for lang, said in (
            ("en", "This workspace has no organisation yet: import an export on the Sources"),
            ("fr", "Cet espace n'a encore aucune organisation : importez un export depuis la"),
        ):
            page = client.get(path, params={"lang": lang}).text
            assert said in text_of(page), path
            assert "run `jauge" not in page and "lancez `jauge" not in page
            empty = page.split('<p class="empty">')[1].split("</p>")[0]
            assert '<a href="/sources?workspace=empty">' in empty
    sources = text_of(client.get("/sources", params={"lang": "en"}).text)
    assert "No live connection yet: an administrator adds one with the command" in sources
    client.cookies.clear()

    client = login(writable_client, "analyst@brands.example")
    # the brand's posts are from 2014, the airlines' tweets from 2015: nobody mentions it
    page = client.get("/listening", params={"org": "Cosmetics brand", "lang": "en"}).text
    said = text_of(page)
    assert "No mentions in this window." in said and "Define the organisation" not in said
    assert "an administrator defines with the command jauge org add" in said
    assert "the command <code>jauge org add</code>" in page  # set as code, not backquoted
    assert re.search(r'<a href="/sources\?workspace=brands">Posts that mention it', page)
    french = text_of(client.get("/listening", params={"org": "Cosmetics brand", "lang": "fr"}).text)
    assert "qu'un administrateur définit avec la commande jauge org add" in french
    # a comparison of campaigns where none is defined: the web's words, in both languages
    for lang, said in (
        ("en", "no campaigns to compare: an analyst defines them through the API"),
        ("fr", "aucune campagne à comparer : un analyste les définit par l'API"),
    ):
        page = client.get("/compare", params={"by": "campaign", "org": "United", "lang": lang})
        assert said in html.unescape(page.text)
        api = client.get(
            "/api/v1/compare",
            params={"by": "campaign", "org": "United"},
            headers={"Accept-Language": lang},
        )
        assert api.json()["error"]["message"].startswith(said)
    # the documentation is named as such, not as a path in a repository
    people = text_of(client.get("/people", params={"org": "United", "lang": "en"}).text)
    assert "docs/" not in people and "people.md in jauge's documentation" in people


def test_empty_states_are_sentences_not_empty_charts(app_client: TestClient, web_store: WebStore):
    login(app_client, web_store.email("viewer"))
    for lang, voice, top in (
        ("en", "No organisation of the workspace is mentioned in this window.",
         "Nothing is said about the organisation in this window."),
        ("fr", "Aucune organisation de l'espace n'est mentionnée sur cette période.",
         "Rien n'est dit de l'organisation sur cette période."),
    ):  # fmt: skip
        page = app_client.get("/listening", params={"org": "Cosmetics brand", "lang": lang}).text
        assert 'id="voice-spec"' not in page and 'data-testid="voice"' not in page
        assert voice in text_of(page)
        topics = page.split('data-testid="no-top"')[1].split("</p>")[0]
        assert html.unescape(topics).endswith(top)
        most_said = page.split("<caption>")[1].split("</table>")[0]
        assert "<thead>" not in most_said  # no headers over nothing
    # with mentions, the chart and its table are there
    page = app_client.get("/listening", params={"org": "United", "lang": "en"}).text
    assert 'id="voice-spec"' in page and 'data-testid="no-voice"' not in page
    assert 'data-testid="no-top"' not in page
    # no web analytics, no window: the title says nothing of one
    value = app_client.get("/value", params={"org": "United", "lang": "en"}).text
    assert text_of(value.split("<h1>")[1].split("</h1>")[0]) == "Value · United"


def test_numbers_and_percentages_are_written_as_each_language_writes_them(
    app_client: TestClient, web_store: WebStore
):
    login(app_client, web_store.email("viewer"))
    for lang, percent, share in (
        ("en", "{}%", r"\d+\.\d%"),
        ("fr", "{}" + NNBSP + "%", r"\d+,\d" + NNBSP + "%"),
    ):
        page = app_client.get("/listening", params={"org": "United", "lang": lang}).text
        table = page.split('data-testid="voice"')[1].split("</table>")[0]
        shares = re.findall(r"<td>([^<]*%)</td>", table)
        assert len(shares) == 7 and all(re.fullmatch(share, s) for s in shares), shares
        people = app_client.get("/people", params={"org": "United", "lang": lang}).text
        listed = people.split('data-testid="people"')[1].split("</table>")[0]
        assert percent.format("100") in listed and "100 %" not in listed
    params = {"org": "Cosmetics brand", "conversion_value": "50"}
    data = app_client.get("/api/v1/value", params=params).json()
    # the ROI as the ad platform reports it, with its interval
    roi = next(c for c in data["campaigns"] if c["platform_roi_interval"])
    low, high = (f"{x * 100:+,.0f}" for x in roi["platform_roi_interval"])
    english = app_client.get("/value", params={**params, "lang": "en"}).text
    assert f"{roi['platform_roi'] * 100:+,.0f}%" in english and f"[{low}, {high}]" in english
    assert " %" not in text_of(english) and " ; " not in text_of(english)
    french = app_client.get("/value", params={**params, "lang": "fr"}).text
    fr = {",": NNBSP, ".": ","}
    # French writes negative numbers with the minus sign
    low_fr, high_fr = (x.translate(str.maketrans(fr)).replace("-", "\u2212") for x in (low, high))
    assert f"[{low_fr}{NNBSP}; {high_fr}]" in french
    share = f"{data['funnel']['social_share'] * 100:.1f}"
    assert f"({share}%)" in english and f"({share.replace('.', ',')}{NNBSP}%)" in french


def test_the_posts_behind_the_figures_are_shown_by_their_first_words(
    writable_client: TestClient, fresh_web_store: WebStore, tmp_path: Path
):
    import jauge

    long_text = (
        "@united <b>lost</b> my bag twice this month & nobody at the desk could tell me "
        "where it went, now waiting for a week"
    )
    posts = tmp_path / "posts.csv"
    with posts.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "created_at", "org", "author", "kind", "text", "url"])
        for n in range(4):
            w.writerow(
                [f"post-{n}", f"2015-02-{23 - 7 * n:02d}T12:00:00Z", "United", "bagless_x",
                 "mention", long_text, f"https://x.example/bagless_x/{n}" if n else ""]
            )  # fmt: skip
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        assert j.import_file(posts, "posts-csv", platform="x").ok
    client = login(writable_client, fresh_web_store.email("viewer"))
    # its first words, cut between two words, escaped
    cut = html.escape(long_text[:79].rsplit(" ", 1)[0] + "…", quote=False)
    assert cut.startswith("@united &lt;b&gt;lost&lt;/b&gt; my bag") and len(long_text) > 80
    people = client.get("/people", params={"org": "United"}).text
    row = people.split(">bagless_x</a>")[1].split("</details>")[0]
    assert "<b>lost</b>" not in row and cut in row
    assert '<a href="https://x.example/bagless_x/1" rel="noopener noreferrer nofollow" ' \
        f'target="_blank" title="post-1">{cut}</a>' in row  # fmt: skip
    assert f'<span title="post-0">{cut}</span>' in row  # no address: no link
    person = client.get("/person", params={"org": "United", "handle": "bagless_x"}).text
    items = person.split('data-testid="person-items"')[1].split("</table>")[0]
    assert items.count(cut) == 4 and "post-3" in items
    # the answers carry the text, and a pseudonymised one none
    api = client.get("/api/v1/people", params={"org": "United", "limit": 5}).json()
    cited = [w for p in api if p["handle"] == "bagless_x" for w in p["why"]["persistence"]]
    assert cited and all(w["text"] == long_text for w in cited)
    hidden = client.get(
        "/api/v1/people", params={"org": "United", "limit": 5, "pseudonymise": "true"}
    ).json()
    assert all(w["text"] is None for p in hidden for ws in p["why"].values() for w in ws)
    assert "lost" not in json.dumps(hidden)
    shown = client.get(
        "/api/v1/person", params={"org": "United", "handle": "bagless_x", "pseudonymise": "true"}
    ).json()
    assert "lost" not in json.dumps(shown)


def test_a_topic_nobody_talks_about_is_said_to_be_the_reason(
    app_client: TestClient, web_store: WebStore
):
    login(app_client, web_store.email("viewer"))
    for lang, said in (
        ("en", "Nobody talks about Delta in this window with the topics zzzz: try other words"),
        ("fr", "Personne ne parle de Delta sur cette période avec les sujets zzzz : essayez"),
    ):
        page = app_client.get("/people", params={"org": "Delta", "topics": "zzzz", "lang": lang})
        assert said in text_of(page.text)
        assert "import" not in page.text.split('<p class="empty">')[1].split("</p>")[0]
    page = app_client.get("/people", params={"org": "Delta", "lang": "en"}).text
    assert 'data-testid="people"' in page  # Delta is talked about, on other words


def test_the_cli_says_the_topic_is_the_reason_too(web_store: WebStore):
    from jauge.cli.main import cli

    args = ["people", "--org", "Delta", "--topic", "zzzz", "--db", str(web_store.path)]
    result = CliRunner().invoke(cli, [*args, "--workspace", "brands"])
    assert result.exit_code == 0
    assert "Nobody talks about Delta in this period with the topics zzzz" in " ".join(
        result.stdout.split()
    )
    result = CliRunner().invoke(
        cli, [*args, "--workspace", "brands"], env={"JAUGE_LANG": "fr", "COLUMNS": "200"}
    )
    assert "Personne ne parle de Delta sur cette période avec les sujets zzzz" in result.stdout


def test_the_people_page_says_of_how_many_people_it_lists_the_first(
    app_client: TestClient, web_store: WebStore
):
    login(app_client, web_store.email("viewer"))
    everyone = app_client.get("/api/v1/people", params={"org": "United", "limit": 200}).json()
    total = len(everyone)
    assert 50 < total < 200
    page = app_client.get("/people", params={"org": "United", "lang": "en"}).text
    count = page.split('data-testid="people-count">')[1].split("</p>")[0]
    assert f"The first 50 of {total:,} people, in this order." in text_of(f"<main>{count}</main>")
    link = re.search(r'<a href="([^"]+)">Show all ' + str(total), count)
    assert link
    row = r"<tr>\s*<td>\d+</td><td class=\"path\">"
    table = page.split('data-testid="people"')[1].split("</table>")[0]
    assert len(re.findall(row, table)) == 50
    shown = app_client.get(html.unescape(link[1])).text
    table = shown.split('data-testid="people"')[1].split("</table>")[0]
    assert len(re.findall(row, table)) == total
    count = shown.split('data-testid="people-count">')[1].split("</p>")[0]
    assert f"{total:,} people, all listed." in count and "Show all" not in count
    french = app_client.get("/people", params={"org": "United", "lang": "fr"}).text
    assert f"Les 50 premières des {total} personnes" in french
    # the window and the topics go along with the link
    topical = app_client.get(
        "/people", params={"org": "United", "topics": "bag", "from": "2015-02-01", "lang": "en"}
    ).text
    if "Show all" in topical:
        found = re.search(r'<a href="([^"]+)">Show all', topical)
        assert found and "topics=bag" in found[1] and "from=2015-02-01" in found[1]
    assert app_client.get("/people", params={"org": "United", "limit": "0"}).status_code == 422


def test_a_failed_login_keeps_the_email_typed(app_client: TestClient, web_store: WebStore):
    token = csrf_of(app_client.get("/login").text)
    email = web_store.email("viewer")
    r = app_client.post(
        "/login",
        data={"email": email, "password": "wrong", "csrf_token": token, "next": "/people"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "failed=1" in r.headers["location"]
    page = app_client.get(r.headers["location"]).text
    assert "Wrong email or password." in page
    assert f'name="email" autocomplete="username" required value="{email}"' in page
    assert 'name="next" value="/people"' in page
    # the password is what to type again
    assert re.search(r'name="password"[^>]*autofocus', page)


def test_an_upload_renames_columns_as_jauge_import_map_does(
    writable_client: TestClient, tmp_path: Path
):
    """The French media tweets name their columns in French: the form's renamings (one a
    line, or separated by commas) read them as `--map` does, and a wrong one is said
    beside the form, in the page's language, naming the field to change."""
    import jauge

    from .conftest import FRENCH_MAP, FRENCH_TWEETS_CSV

    with jauge.open(tmp_path / "cli.duckdb") as j:  # what `jauge import --map` makes of it
        want = j.import_file(
            FRENCH_TWEETS_CSV, "posts-csv", org="Médias", platform="x", mapping=FRENCH_MAP
        )
    assert want.ok and want.total("inserted") > 100
    client = login(writable_client, "analyst@brands.example")
    pairs = [f"{column}={field}" for column, field in FRENCH_MAP.items()]
    typed = "\n".join(pairs[:3]) + "\n" + ", ".join(pairs[3:])
    # without the renamings the file is not a posts-csv file: nothing is written
    r = upload(client, FRENCH_TWEETS_CSV, source="posts-csv", org="Médias", platform="x")
    assert r.status_code == 422
    assert "Rename columns (field map)" in text_of(result_of(r.text))
    r = upload(client, FRENCH_TWEETS_CSV, source="posts-csv", org="Médias", platform="x",
               map=typed)  # fmt: skip
    assert r.status_code == 200
    said = text_of(result_of(r.text))
    assert f"{want.total('inserted'):,} new" in said, said
    # a pair without its "=", and a column the file lacks: refused, kept in the form
    r = upload(client, FRENCH_TWEETS_CSV, lang="fr", source="posts-csv", org="Médias",
               platform="x", map="id_tweet")  # fmt: skip
    assert r.status_code == 422
    assert (
        "Renommer des colonnes (champ map) attend un COLONNE=CHAMP par ligne, reçu 'id_tweet'"
        in (text_of(result_of(r.text)))
    )
    form = r.text.split('class="upload"')[1].split("</form>")[0]
    assert re.search(r'<textarea name="map"[^>]*>id_tweet</textarea>', form)
    r = upload(client, FRENCH_TWEETS_CSV, source="posts-csv", org="Médias", platform="x",
               map="nom_inconnu=id")  # fmt: skip
    assert r.status_code == 422
    assert "Rename columns (field map) names columns that are not in" in text_of(result_of(r.text))
