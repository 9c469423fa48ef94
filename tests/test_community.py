"""Community: the interaction graph and the people ranking, on real data."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.community.export import CSV_COLUMNS, write_edges_csv, write_gexf
from jauge.community.graph import (
    community_pagerank,
    interaction_graph,
    pagerank_of_edges,
    weighted_pagerank,
)
from jauge.community.people import rank_people
from jauge.community.privacy import pseudonym, pseudonym_key

from .conftest import AIRLINE_TWEETS, DATA, FRENCH_MAP


def power_iteration_pagerank(edges: list[tuple[int, int, float]], n: int) -> np.ndarray:
    """PageRank computed independently: dense power iteration, dangling mass spread evenly."""
    m = np.zeros((n, n))
    for u, v, w in edges:
        m[v, u] += w
    out = m.sum(axis=0)
    rank = np.full(n, 1.0 / n)
    for _ in range(1000):
        spread = np.where(out > 0, rank / np.where(out > 0, out, 1), 0.0)
        dangling = rank[out == 0].sum()
        new = 0.15 / n + 0.85 * (m @ spread + dangling / n)
        if np.abs(new - rank).sum() < 1e-13:
            break
        rank = new
    return new


def test_weighted_pagerank_on_the_congress_network_matches_an_independent_computation() -> None:
    lines = (DATA / "congress-twitter-network" / "congress.edgelist").read_text().split("\n")
    edges = [
        (int(a), int(b), float(w))
        for a, b, w in (line.split()[:3] for line in lines if line.strip())
    ]
    n = 1 + max(max(u, v) for u, v, _ in edges)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(edges)
    ours = weighted_pagerank(graph)
    theirs = power_iteration_pagerank(edges, n)
    assert max(abs(ours[i] - theirs[i]) for i in range(n)) < 1e-8
    assert (
        sorted(range(n), key=lambda i: -ours[i])[:10]
        == sorted(range(n), key=lambda i: -theirs[i])[:10]
    )
    u, v, w = (np.array(column) for column in zip(*edges, strict=True))
    arrays = pagerank_of_edges(u, v, w, n)
    assert np.abs(arrays - theirs).max() < 1e-8
    assert np.abs(arrays - np.array([ours[i] for i in range(n)])).max() < 1e-12


def test_the_ranking_pagerank_is_networkx_pagerank_of_the_interaction_graph(
    tmp_path: Path,
) -> None:
    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
        for org in ("United", "Virgin America"):
            graph = interaction_graph(j.store, j.workspace, org)
            expected = weighted_pagerank(graph)
            ranks = community_pagerank(j.store, j.workspace, org)
            assert ranks.keys() == expected.keys() and len(ranks) == graph.number_of_nodes()
            assert max(abs(ranks[n] - expected[n]) for n in expected) < 1e-12
            assert abs(sum(ranks.values()) - 1) < 1e-9


def test_airline_people_are_ranked_on_separate_dimensions_with_why(tmp_path: Path) -> None:
    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
        graph = interaction_graph(j.store, j.workspace, "United")
        assert graph.has_node("org:United") and graph.number_of_edges() > 0
        people = rank_people(j.store, j.workspace, "United", limit=500, window_days=1)
        authors = j.sql(
            "SELECT p.handle, count(DISTINCT CAST(c.created_at AS DATE)) AS days, count(*) AS n "
            "FROM content_items c JOIN persons p ON p.person_id = c.author_person_id "
            "JOIN organisations o USING (org_id) WHERE o.name = 'United' GROUP BY 1"
        ).to_pylist()
    assert {p.handle for p in people} == {a["handle"] for a in authors}
    top = people[0]
    # the most persistent first: nobody else talked about United on more days
    assert top.persistence == max(p.persistence for p in people)
    data = top.to_dict()
    assert {
        "handle",
        "platform",
        "topical_relevance",
        "persistence",
        "activated_audience",
        "network_position",
        "relationship",
        "sentiment",
        "why",
    } <= set(data)
    assert data["why"]["persistence"] and all(w["id"] for w in data["why"]["persistence"])
    assert all(0 < p.topical_relevance <= 1 for p in people)


def test_topics_narrow_the_people(tmp_path: Path) -> None:
    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
        everyone = rank_people(j.store, j.workspace, "United", limit=1000)
        bags = rank_people(j.store, j.workspace, "United", topics=("bag",), limit=1000)
        texts = j.sql(
            "SELECT lower(text) AS t FROM content_items c JOIN organisations o "
            "USING (org_id) WHERE o.name = 'United'"
        ).to_pylist()
    assert 0 < len(bags) < len(everyone)
    assert sum("bag" in t["t"] for t in texts) >= len(bags)


def test_cli_graph_export_and_people(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    run(cli, ["import", str(AIRLINE_TWEETS), "--source", "tweets-csv", "--db", db])
    gexf = run(cli, ["graph", "export", "--org", "Delta", "--db", db])
    assert gexf.exit_code == 0 and ET.fromstring(gexf.stdout).tag.endswith("gexf")
    out = tmp_path / "delta.graphml"
    assert (
        run(
            cli,
            [
                "graph",
                "export",
                "--org",
                "Delta",
                "--format",
                "graphml",
                "--output",
                str(out),
                "--db",
                db,
            ],
        ).exit_code
        == 0
    )
    assert nx.read_graphml(out).number_of_nodes() > 1
    edges = run(cli, ["graph", "export", "--org", "Delta", "--format", "csv", "--db", db])
    assert edges.stdout.splitlines()[0].startswith("source,source_handle,target")
    people = json.loads(
        run(
            cli, ["people", "--org", "Delta", "--limit", "3", "--format", "json", "--db", db]
        ).stdout
    )
    assert len(people) == 3 and all("why" in p for p in people)


def test_a_person_s_relationship_over_time_and_forgetting_them(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    run(cli, ["import", str(AIRLINE_TWEETS), "--source", "tweets-csv", "--db", db])
    with jauge.open(db) as j:
        top = rank_people(j.store, j.workspace, "United", limit=1)[0]
        united = {p.handle for p in rank_people(j.store, j.workspace, "United", limit=10_000)}
        delta = rank_people(j.store, j.workspace, "Delta", limit=10_000)
        stranger = next(p.handle for p in delta if p.handle not in united)
        before = j.score("United").to_dict()
        voice_before = j.voice(["United", "Delta"]).to_dict()
    shown = json.loads(
        run(cli, ["person", top.handle, "--org", "United", "--format", "json", "--db", db]).stdout
    )
    assert shown["handle"] == top.handle and shown["first_engaged"]
    table = run(cli, ["person", top.handle, "--org", "United", "--db", db]).stdout
    assert (
        f"{top.handle} and United: first engaged {shown['first_engaged'][:16].replace('T', ' ')}"
        in table
    )
    # someone who talks about others, never about United, is told as such
    shown_stranger = run(cli, ["person", stranger, "--org", "United", "--db", db]).stdout
    assert shown_stranger.strip() == f"{stranger} has not engaged with United yet"
    assert (
        sum(w["items"] for w in shown["windows"]) == len(shown["items"])
        or len(shown["items"]) == 20
    )
    hidden = json.loads(
        run(
            cli,
            [
                "person",
                top.handle,
                "--org",
                "United",
                "--pseudonymise",
                "--format",
                "json",
                "--db",
                db,
            ],
        ).stdout
    )
    again = json.loads(
        run(
            cli,
            [
                "person",
                top.handle,
                "--org",
                "United",
                "--pseudonymise",
                "--format",
                "json",
                "--db",
                db,
            ],
        ).stdout
    )
    assert hidden["handle"].startswith("p-") and hidden["handle"] == again["handle"]
    # a public post's own id would name its author: ids are pseudonyms too, and stable
    assert hidden["items"] and hidden["items"] == again["items"]
    shown_ids = {i["id"] for i in shown["items"]}
    assert all(i["id"].startswith("i-") and i["id"] not in shown_ids for i in hidden["items"])
    listed = json.loads(
        run(
            cli, ["people", "--org", "United", "--pseudonymise", "--format", "json", "--db", db]
        ).stdout
    )
    assert top.handle not in json.dumps(listed)
    cited = [w["id"] for p in listed for posts in p["why"].values() for w in posts]
    assert cited and all(c.startswith("i-") for c in cited)
    with jauge.open(db) as j:  # what a profile-bearing source would have stored
        j.store.con.execute(
            "UPDATE persons SET followers = 12, following = 400, posts = 3, has_avatar = false, "
            "has_bio = true, declared_bot = false WHERE handle = ?",
            [top.handle],
        )
    out = run(cli, ["person", "forget", top.handle, "--db", db, "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout) == {"forgotten": 1}
    with jauge.open(db) as j:
        assert (
            j.sql("SELECT count(*) AS n FROM persons WHERE handle = ?", [top.handle]).to_pylist()[
                0
            ]["n"]
            == 0
        )
        authored = j.sql(
            "SELECT count(*) AS n, count(text) AS texts FROM content_items c "
            "JOIN persons p ON p.person_id = c.author_person_id "
            "WHERE p.native_id LIKE 'forgotten:%'"
        ).to_pylist()[0]
        assert authored["n"] > 0 and authored["texts"] == 0
        profile = j.sql(
            "SELECT followers, following, posts, has_avatar, has_bio, declared_bot "
            "FROM persons WHERE native_id LIKE 'forgotten:%'"
        ).to_pylist()
        assert profile and all(v is None for row in profile for v in row.values())
        # aggregate figures stay exactly what they were
        after = j.score("United").to_dict()
        assert after["score"] == before["score"] and after["coverage"] == before["coverage"]
        assert j.voice(["United", "Delta"]).to_dict() == voice_before
        # importing the same export again cannot undo the erasure
        again = j.import_file(AIRLINE_TWEETS, "tweets-csv")
        assert again.ok and again.total("inserted") == 0
        assert j.sql(
            "SELECT count(text) AS texts, count(url) AS urls FROM content_items c "
            "JOIN persons p ON p.person_id = c.author_person_id "
            "WHERE p.native_id LIKE 'forgotten:%'"
        ).to_pylist() == [{"texts": 0, "urls": 0}]
        assert j.sql(
            "SELECT count(handle) AS n FROM persons WHERE native_id LIKE 'forgotten:%'"
        ).to_pylist() == [{"n": 0}]
        assert j.score("United").to_dict()["score"] == before["score"]


def test_forgetting_leaves_nothing_of_a_person_anywhere_in_the_store(tmp_path: Path) -> None:
    """Someone of the real airline tweets who tweeted with their coordinates: after
    `jauge person forget`, and after importing the export again, no table holds their
    handle, a tweet id, a text or the coordinates of what they wrote."""
    import csv
    import zlib

    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    handle = next(r["name"] for r in rows if r["tweet_coord"])
    theirs = [r for r in rows if r["name"] == handle]
    traces = {handle} | {
        v for r in theirs for v in (r["tweet_id"], r["text"], r["tweet_coord"]) if v
    }
    db = str(tmp_path / "s.duckdb")
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok

        def dump() -> str:
            return "\n".join(
                json.dumps(j.sql(f"SELECT * FROM {t}").to_pylist(), default=str)
                for t in ("persons", "content_items", "metric_snapshots", "annotations",
                          "interactions", "accounts")
            )  # fmt: skip

        assert all(t in dump() for t in traces)  # the test would see them
        run = CliRunner().invoke
        out = run(cli, ["person", "forget", handle, "--db", db, "--format", "json"])
        assert out.exit_code == 0 and json.loads(out.stdout) == {"forgotten": 1}
        assert [t for t in traces if t in dump()] == []
        again = j.import_file(AIRLINE_TWEETS, "tweets-csv")
        assert again.ok and (again.total("inserted"), again.total("updated")) == (0, 0)
        assert [t for t in traces if t in dump()] == []
        # a newer export keys its authors by their numeric id as well: the same tweets,
        # whoever it says wrote them, stay their forgotten author's, and bring nothing back
        newer = tmp_path / "newer.csv"
        with newer.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, [*rows[0], "user_id"])
            writer.writeheader()
            for r in rows:
                writer.writerow({**r, "user_id": str(zlib.crc32(r["name"].lower().encode()))})
        persons = j.sql("SELECT count(*) AS n FROM persons").to_pylist()
        keyed = j.import_file(newer, "tweets-csv")
        assert keyed.ok and keyed.total("inserted") == 0
        assert [t for t in traces if t in dump()] == []
        out = run(cli, ["person", "show", handle, "--org", "United", "--db", db])
        assert out.exit_code == 1  # nobody of that handle any more
        # everyone else's tweets moved to their numeric id: one person each, as before
        assert j.sql("SELECT count(*) AS n FROM persons").to_pylist()[0]["n"] >= persons[0]["n"]


def test_graph_export_can_hide_who_is_who(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    run(cli, ["import", str(AIRLINE_TWEETS), "--source", "tweets-csv", "--db", db])
    plain = run(cli, ["graph", "export", "--org", "Delta", "--format", "csv", "--db", db]).stdout
    hidden = run(
        cli, ["graph", "export", "--org", "Delta", "--format", "csv", "--pseudonymise", "--db", db]
    ).stdout
    handles = {line.split(",")[1] for line in plain.splitlines()[1:]}
    assert handles and not any(h in hidden for h in handles)
    assert len(hidden.splitlines()) == len(plain.splitlines())


def test_bloggers_and_redditors_are_people_too(tmp_path: Path) -> None:
    from .conftest import FEEDS

    listing = json.loads(
        (DATA / "reddit-api-cassettes" / "TestSubredditListings.test_comments.json").read_text()
    )["interactions"][1]["response"]["body"]["string"]
    saved = tmp_path / "comments.json"
    saved.write_text(listing)
    with jauge.open(tmp_path / "s.duckdb") as j:
        assert j.import_file(sorted(FEEDS.glob("*.atom")), "rss", org="Tech press").ok
        assert j.import_file(saved, "reddit", org="AskReddit").ok
        bloggers = rank_people(j.store, j.workspace, "Tech press", limit=100)
        redditors = rank_people(j.store, j.workspace, "AskReddit", limit=500)
        authors = {
            r["author"]
            for r in json.loads(listing)["data"]["children"]
            for r in [r["data"]]
            if r.get("author") not in (None, "[deleted]")
        }
    assert bloggers and {p.platform for p in bloggers} == {"web"}
    assert {p.handle for p in redditors} == authors


# each news outlet is a person talking, not the organisation's own account
FRENCH_AS_PEOPLE = {**FRENCH_MAP, "id_compte": "author"}


def _plain(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_french_media_who_keep_talking_about_the_elysee(tmp_path: Path) -> None:
    """The French media tweets: outlets that name Macron or the Élysée, each with the weeks
    they did and the share of their tweets about it, checked against pandas on the file."""
    import re
    from datetime import date

    import pandas as pd

    from .conftest import FRENCH_TWEETS_CSV

    start, end = date(2022, 4, 24), date(2022, 5, 17)
    with jauge.open(tmp_path / "s.duckdb") as j:
        done = j.import_file(
            FRENCH_TWEETS_CSV,
            "posts-csv",
            org="Presse",
            platform="twitter",
            mapping=FRENCH_AS_PEOPLE,
        )
        assert done.ok
        j.add_org("Élysée", aliases=["Macron", "Elysée"])
        j.enrich(backend="fast")
        people = rank_people(j.store, j.workspace, "Élysée", start=start, end=end, limit=100)

    tweets = pd.read_csv(FRENCH_TWEETS_CSV, dtype={"id_compte": str, "id_tweet": str})
    tweets = tweets.drop_duplicates("id_tweet")
    about = tweets.text.map(_plain).str.contains(r"(?<!\w)(?:macron|elysee)(?!\w)", regex=True)
    week = (pd.to_datetime(tweets.date) - pd.Timestamp(start)).dt.days // 7
    expected = {
        author: {
            "persistence": week[about & (tweets.id_compte == author)].nunique(),
            "relevance": (about & (tweets.id_compte == author)).sum()
            / (tweets.id_compte == author).sum(),
        }
        for author in tweets[about].id_compte.unique()
    }
    assert len(expected) >= 8
    assert {p.handle for p in people} == set(expected)
    for p in people:
        assert p.persistence == expected[p.handle]["persistence"], p.handle
        assert abs(p.topical_relevance - expected[p.handle]["relevance"]) < 1e-9, p.handle
        assert p.why["topical_relevance"]
        assert all(
            re.search(r"macron|elysee", _plain(w["text"] or ""))
            for w in p.why["topical_relevance"]
            if "text" in w
        )
    assert [p.persistence for p in people] == sorted((p.persistence for p in people), reverse=True)


def test_followers_are_shown_from_any_export_but_never_order_people(tmp_path: Path) -> None:
    """An `author_followers` column reaches people. The values are a stand-in (each outlet's
    largest like count × 100: a real heavy tail, not their audience), then reversed: the
    order must not move."""
    import pandas as pd

    from .conftest import FRENCH_TWEETS_CSV

    tweets = pd.read_csv(FRENCH_TWEETS_CSV, dtype={"id_compte": str, "id_tweet": str})
    audience = tweets.groupby("id_compte").like_count.max() * 100
    orders, shown = [], []
    for n, values in enumerate((audience, audience.iloc[::-1].set_axis(audience.index))):
        data = tweets.assign(author_followers=tweets.id_compte.map(values))
        path = tmp_path / f"tweets{n}.csv"
        data.to_csv(path, index=False)
        with jauge.open(tmp_path / f"s{n}.duckdb") as j:
            assert j.import_file(
                path, "posts-csv", org="Presse", platform="twitter", mapping=FRENCH_AS_PEOPLE
            ).ok
            j.add_org("Élysée", aliases=["Macron", "Elysée"])
            j.enrich(backend="fast")
            people = rank_people(j.store, j.workspace, "Élysée", limit=100)
            # an exact count names an account: pseudonymised people have none
            hidden = j.people("Élysée", limit=100, pseudonymise=True)
        orders.append([p.handle for p in people])
        shown.append({p.handle: p.followers for p in people})
        assert all(shown[-1][h] == values[h] for h in shown[-1])
        assert hidden and all(p.followers is None for p in hidden)
    assert orders[0] == orders[1]
    assert shown[0] != shown[1]


def test_the_csv_export_is_the_graphs_edges_read_from_the_store(tmp_path: Path) -> None:
    def rows_of(graph: nx.DiGraph) -> list[list[str]]:
        return [
            [u, graph.nodes[u]["handle"], v, graph.nodes[v]["handle"], str(d["weight"]), d["kinds"]]
            for u, v, d in sorted(graph.edges(data=True))
        ]

    def written(j: jauge.Jauge, **kwargs: object) -> tuple[list[list[str]], dict[str, int]]:
        out = io.StringIO()
        info = write_edges_csv(j.store, j.workspace, "United", out, **kwargs)  # type: ignore[arg-type]
        rows = list(csv.reader(io.StringIO(out.getvalue())))
        assert rows[0] == list(CSV_COLUMNS)
        return rows[1:], info

    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
        graph = interaction_graph(j.store, j.workspace, "United")
        rows, info = written(j)
        assert rows == rows_of(graph) and len(rows) > 100
        assert info == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
        alias = {n: f"p-{i:05d}" for i, n in enumerate(sorted(graph.nodes)) if n != "org:United"}
        renamed = nx.relabel_nodes(graph, alias)
        for node in alias.values():
            renamed.nodes[node]["handle"] = node
        hidden, _info = written(j, alias=alias.__getitem__)
        assert hidden == rows_of(renamed)


def test_the_gexf_export_reads_back_as_the_graph(tmp_path: Path) -> None:
    def same_graph(written: nx.DiGraph, graph: nx.DiGraph) -> None:
        def attributes(g: nx.DiGraph) -> dict[str, dict[str, str]]:
            keys = ("handle", "platform", "name", "kind")
            return {n: {k: d[k] for k in keys} for n, d in g.nodes(data=True)}

        assert attributes(written) == attributes(graph)
        assert all(d["label"] == n for n, d in written.nodes(data=True))
        assert {(u, v): (d["weight"], d["kinds"]) for u, v, d in written.edges(data=True)} == {
            (u, v): (d["weight"], d["kinds"]) for u, v, d in graph.edges(data=True)
        }

    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
        graph = interaction_graph(j.store, j.workspace, "United")
        path = tmp_path / "united.gexf"
        with path.open("wb") as out:
            info = write_gexf(j.store, j.workspace, "United", out)
        assert info == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
        same_graph(nx.read_gexf(path), graph)
        alias = {n: f"p-{i:05d}" for i, n in enumerate(sorted(graph.nodes)) if n != "org:United"}
        renamed = nx.relabel_nodes(graph, alias)
        for node in alias.values():
            renamed.nodes[node].update(handle=node, name="")
        with path.open("wb") as out:
            write_gexf(j.store, j.workspace, "United", out, alias=alias.__getitem__)
        same_graph(nx.read_gexf(path), renamed)
        again = tmp_path / "again.gexf"
        with again.open("wb") as out:
            write_gexf(j.store, j.workspace, "United", out, alias=alias.__getitem__)
        assert again.read_bytes() == path.read_bytes()  # the same store, the same file


def test_activated_audience_counts_each_person_once(tmp_path: Path) -> None:
    """docs/people.md: the unique people (other than them) who engaged with their items
    about the organisation. One person answering three of someone's posts is one person,
    not three. benchmarks/community.py's store, resampled from the airline tweets, has
    people who come back to the same authors."""
    from datetime import date, timedelta

    import pandas as pd

    from benchmarks.community import ORG, WORKSPACE, generate
    from jauge.community.people import rank_people

    db = tmp_path / "community.duckdb"
    generate(db, persons=3_000, interactions=40_000)
    with jauge.open(db, workspace=WORKSPACE) as j:
        # a tenth of the engagers, as `jauge integrity` would weigh bought accounts down:
        # they activate no one ("unique authentic people", docs/people.md)
        j.store.con.execute(
            "INSERT INTO authenticity SELECT DISTINCT workspace, actor_person_id, 0.2, 0.8, "
            "['few_followers'], NULL, 'test', now()::TIMESTAMP FROM interactions "
            "WHERE actor_person_id IS NOT NULL AND hash(actor_person_id) % 10 = 0"
        )
        bought = {r["person_id"] for r in j.sql("SELECT person_id FROM authenticity").to_pylist()}
        people = rank_people(j.store, WORKSPACE, ORG, limit=100_000)
        last = j.store.latest_item_day([j.store.org_id(WORKSPACE, ORG)])
        begin = pd.Timestamp(last - timedelta(days=89))
        items = j.sql(
            "SELECT item_id, author_person_id FROM content_items WHERE NOT is_own "
            "AND author_person_id IS NOT NULL"
        ).to_pandas()
        created = j.sql("SELECT item_id, created_at FROM content_items").to_pandas()
        touches = j.sql(
            "SELECT target_item_id AS item_id, actor_person_id FROM interactions "
            "WHERE actor_person_id IS NOT NULL"
        ).to_pandas()
    assert isinstance(last, date)
    items = items.merge(created, on="item_id")
    items = items[
        (items.created_at >= begin) & (items.created_at < pd.Timestamp(last) + pd.Timedelta(days=1))
    ]
    assert bought
    joined = touches.merge(items, on="item_id")
    joined = joined[joined.actor_person_id != joined.author_person_id]
    joined = joined[~joined.actor_person_id.isin(bought)]
    unique = joined.groupby("author_person_id").actor_person_id.nunique()
    per_item = joined.groupby(["author_person_id", "item_id"]).actor_person_id.nunique()
    summed = per_item.groupby("author_person_id").sum()
    repeated = [p for p in people if summed.get(p.person_id, 0) > unique.get(p.person_id, 0)]
    assert repeated  # people whose audience came back to several of their items
    for person in people:
        assert person.activated_audience == int(unique.get(person.person_id, 0)), person.handle


def test_a_forgotten_person_is_found_by_the_pseudonym_lists_name_them_by(tmp_path: Path) -> None:
    """People lists (and the dashboard's links) name a forgotten person by a pseudonym:
    `jauge person show` (and the person page) finds them by it, and shows their posts by
    keyed ids, never the store's plain hashes of tweet ids."""
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        first = j.people("United", limit=1)[0]
    assert run(cli, ["person", "forget", first.handle, "--db", db]).exit_code == 0
    with jauge.open(db) as j:
        listed = [p.handle for p in j.people("United", limit=100_000)]
        tweet_ids = {r["item_id"] for r in j.sql("SELECT item_id FROM content_items").to_pylist()}
    named = next(h for h in listed if h.startswith("p-"))
    out = run(cli, ["person", "show", named, "--org", "United", "--db", db, "--format", "json"])
    assert out.exit_code == 0, out.output
    shown = json.loads(out.stdout)
    assert shown["handle"] == named and shown["items"]
    assert all(i["id"].startswith("i-") for i in shown["items"])
    assert not any(t in out.stdout for t in tweet_ids)


def test_forgetting_leaves_nothing_of_a_person_in_the_store_file_s_bytes(tmp_path: Path) -> None:
    """An update leaves the old values in the blocks it frees, where a raw read of the
    file finds them: `jauge person forget` writes the file anew, so none of the erased
    handle, location or texts stays in its bytes (the airline tweets' authors)."""
    import csv

    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with jauge.open(tmp_path / "s.duckdb") as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        located = j.sql(
            "SELECT handle, location FROM persons WHERE length(location) > 8 "
            "AND handle IS NOT NULL ORDER BY handle LIMIT 1"
        ).to_pylist()[0]
    handle = located["handle"]
    texts = [r["text"] for r in rows if r["name"] == handle and len(r["text"]) > 40]
    traces = [handle, located["location"], *texts]
    db = tmp_path / "s.duckdb"
    assert all(t.encode() in db.read_bytes() for t in traces)  # the test would see them
    out = CliRunner().invoke(cli, ["person", "forget", handle, "--db", str(db)])
    assert out.exit_code == 0, out.output
    raw = db.read_bytes() + b"".join(f.read_bytes() for f in tmp_path.glob("s.duckdb*"))
    assert [t for t in traces if t.encode() in raw] == []
    with jauge.open(db) as j:  # the store goes on, every count as it was
        assert j.items.num_rows == len(rows) - 2  # the file repeats 2 ids


def test_others_texts_name_a_forgotten_person_by_their_pseudonym(tmp_path: Path) -> None:
    """In the real airline tweets JetBlue and another traveller answered @shannonwoodward:
    once she is forgotten, their texts name her by the pseudonym outputs use, and importing
    the export again does not bring her handle back; every other handle stays."""
    db = str(tmp_path / "s.duckdb")
    handle = "shannonwoodward"

    def texts(j: jauge.Jauge) -> list[str]:
        rows = j.sql("SELECT text FROM content_items WHERE text IS NOT NULL").to_pylist()
        return [r["text"] for r in rows]

    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        answers = [t for t in texts(j) if f"@{handle}" in t.lower()]
        assert len(answers) == 2  # JetBlue's answer and Tee_peterson's, as the file has them
        stats = j.stats()
    out = CliRunner().invoke(cli, ["person", "forget", handle, "--db", db])
    assert out.exit_code == 0, out.output
    with jauge.open(db) as j:
        person = j.sql(
            "SELECT person_id FROM persons WHERE native_id LIKE 'forgotten:%'"
        ).to_pylist()[0]["person_id"]
        named = pseudonym(pseudonym_key(j.store, "default"), person)
        after = texts(j)
        assert not [t for t in after if handle in t.lower()]
        renamed = [t for t in after if f"@{named}" in t]
        assert len(renamed) == 2 and sum("@JetBlue" in t for t in renamed) == 1
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        assert not [t for t in texts(j) if handle in t.lower()]
        assert len([t for t in texts(j) if f"@{named}" in t]) == 2
        counts = {k: v for k, v in j.stats().entities.items() if k != "imports"}
        assert counts == {k: v for k, v in stats.entities.items() if k != "imports"}


def test_a_later_export_keyed_otherwise_brings_a_forgotten_handle_s_new_posts_erased(
    tmp_path: Path,
) -> None:
    """After @shannonwoodward is forgotten, an export that keys its authors by numeric id
    and holds a post of hers the store never saw: it arrives as the forgotten person's,
    without her handle, text or id, and counts as before (one more post)."""
    import csv
    import zlib

    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    handle = "shannonwoodward"
    theirs = [r for r in rows if r["name"] == handle]
    later = {**theirs[0], "tweet_id": "569999999999999999", "text": "@JetBlue landed, thanks"}
    newer = tmp_path / "newer.csv"
    with newer.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, [*rows[0], "user_id"])
        writer.writeheader()
        for r in [*rows, later]:
            writer.writerow({**r, "user_id": str(zlib.crc32(r["name"].lower().encode()))})
    db = str(tmp_path / "s.duckdb")
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    assert CliRunner().invoke(cli, ["person", "forget", handle, "--db", db]).exit_code == 0
    with jauge.open(db) as j:
        forgotten = j.sql(
            "SELECT person_id FROM persons WHERE native_id LIKE 'forgotten:%'"
        ).to_pylist()
        assert len(forgotten) == 1

        def hers() -> int:
            return j.sql(
                "SELECT count(*) AS n FROM content_items WHERE author_person_id = ?",
                [forgotten[0]["person_id"]],
            ).to_pylist()[0]["n"]

        before = hers()
        assert j.import_file(newer, "tweets-csv").ok
        assert hers() == before + 1  # the new post is hers, as forgotten
        dump = json.dumps(
            [j.sql(f"SELECT * FROM {t}").to_pylist() for t in ("persons", "content_items")],
            default=str,
        )
    assert handle not in dump.lower() and "landed, thanks" not in dump
    assert "569999999999999999" not in dump
