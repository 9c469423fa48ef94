from pathlib import Path

import duckdb
import pytest

import jauge
from jauge.errors import StoreError
from jauge.store.duckdb_store import Store, migrations


def test_new_store_is_migrated_to_latest_version(db_path: Path) -> None:
    store = Store(db_path)
    assert store.schema_version() == migrations()[-1][0]
    tables = {
        r[0]
        for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {
        "organisations",
        "accounts",
        "persons",
        "content_items",
        "interactions",
        "metric_snapshots",
        "campaigns",
        "workspaces",
        "imports",
    } <= tables
    store.close()


def test_reopening_does_not_migrate_twice(db_path: Path) -> None:
    Store(db_path).close()
    store = Store(db_path)
    rows = store.con.execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert rows == (len(migrations()),)
    store.close()


def test_a_store_from_a_newer_jauge_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now()::TIMESTAMP)")
    con.close()
    with pytest.raises(StoreError, match="newer than this jauge"):
        Store(db_path)


def test_read_only_open_of_a_missing_store_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="jauge import"):
        jauge.open(tmp_path / "missing.duckdb", read_only=True)


def test_org_lookup_names_the_known_organisations(handle: jauge.Jauge) -> None:
    handle.store.ensure_org("default", "Acme")
    with pytest.raises(jauge.NotFoundError, match="Known: Acme"):
        handle.store.org_id("default", "Nope")
    assert handle.store.org_id("default", "acme") == handle.store.ensure_org("default", "ACME ")
    # accents are optional when typing a name, unless they are all that tells two apart
    medias = handle.store.ensure_org("default", "Médias FR")
    assert handle.store.org_id("default", "medias fr") == medias
    plain = handle.store.ensure_org("default", "Medias FR")
    assert handle.store.org_id("default", "Médias FR") == medias
    assert handle.store.org_id("default", "medias fr") == plain


AIRLINE_TWEETS = (
    Path(__file__).parent / "data" / "twitter-us-airline-sentiment" / "Tweets_sample.csv"
)


def _airline_posts(path: Path, own: int) -> Path:
    """The first 60 airline tweets in the generic format; the first ``own`` of them
    are said to be the airline's own posts."""
    import csv
    from datetime import datetime

    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        tweets = list(csv.DictReader(f))[:60]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "created_at", "org", "author", "kind", "text"])
        for i, t in enumerate(tweets):
            kind = "post" if i < own else "mention"
            created = datetime.strptime(t["tweet_created"], "%Y-%m-%d %H:%M:%S %z")
            w.writerow(
                [t["tweet_id"], created.isoformat(), t["airline"], t["name"], kind, t["text"]]
            )
    return path


def test_interactions_are_read_from_the_items_that_carry_them(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    first = handle.import_file(_airline_posts(tmp_path / "a.csv", own=0), "posts-csv", platform="x")
    assert first.total("interactions") == 60
    rows = handle.store.con.execute(
        "SELECT i.interaction_id = c.item_id, i.actor_person_id = c.author_person_id, "
        "i.occurred_at = c.created_at, i.kind FROM interactions i "
        "JOIN content_items c ON c.item_id = i.item_id"
    ).fetchall()
    assert len(rows) == 60 and all(r[:3] == (True, True, True) and r[3] == "mention" for r in rows)

    again = handle.import_file(_airline_posts(tmp_path / "a.csv", own=0), "posts-csv", platform="x")
    assert again.total("interactions") == 0
    # a newer export says five of them are the airlines' own posts: they stop counting
    handle.import_file(_airline_posts(tmp_path / "b.csv", own=5), "posts-csv", platform="x")
    assert handle.store.con.execute("SELECT count(*) FROM interactions").fetchall() == [(55,)]


def _store_of_schema(db_path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """A store as the jauge of schema ``version`` left it, open on the engine."""
    con = duckdb.connect(str(db_path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    for number, name, sql in migrations()[:version]:
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [number, name])
    return con


def test_a_store_of_schema_8_keeps_its_interactions(db_path: Path) -> None:
    """Migration 9 reads carried interactions from their items and keeps the others."""
    con = _store_of_schema(db_path, 8)
    con.execute(
        """
        INSERT INTO content_items (item_id, workspace, platform, native_id, id_derived, kind,
            org_id, author_person_id, is_own, created_at, first_import_id, last_import_id)
        VALUES ('m1', 'default', 'x', '1', false, 'mention', 'o', 'p', false,
                TIMESTAMP '2015-02-20 10:00:00', 'i1', 'i1');
        INSERT INTO interactions VALUES
            ('m1', 'default', 'x', 'mention', 'p', 'o', NULL, 'm1',
             TIMESTAMP '2015-02-20 10:00:00', 'i1'),
            ('like1', 'default', 'x', 'reaction', 'q', 'o', 'm1', NULL,
             TIMESTAMP '2015-02-21 10:00:00', 'i2');
        """
    )
    con.close()
    store = Store(db_path)
    assert store.schema_version() == migrations()[-1][0]
    rows = store.con.execute(
        "SELECT interaction_id, kind, actor_person_id, target_item_id, item_id, import_id "
        "FROM interactions ORDER BY occurred_at"
    ).fetchall()
    assert rows == [
        ("m1", "mention", "p", None, "m1", "i1"),
        ("like1", "reaction", "q", "m1", None, "i2"),
    ]
    assert store.con.execute("SELECT count(*) FROM standalone_interactions").fetchall() == [(1,)]
    store.close()


def test_a_new_items_first_snapshot_is_kept_in_its_row(handle: jauge.Jauge, tmp_path: Path) -> None:
    """Migration 15: the real UCI posts' first snapshots are written with the items, and a
    newer export's changed count is a row of metric_snapshot_rows; the view reads both."""
    import csv

    from .conftest import UCI_FACEBOOK

    first = handle.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014)
    assert first.ok and first.total("snapshots") == 500
    con = handle.store.con
    assert con.execute("SELECT count(*) FROM metric_snapshot_rows").fetchall() == [(0,)]
    assert con.execute("SELECT count(first_snapshot), count(*) FROM content_items").fetchall() == [
        (500, 500)
    ]
    # the view reads each first snapshot as a row, with the file's counts
    with UCI_FACEBOOK.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    comments = sorted(int(r["comment"]) for r in rows)
    read = con.execute(
        "SELECT comments, import_id FROM metric_snapshots WHERE subject_type = 'item' "
        "ORDER BY comments"
    ).fetchall()
    (imported,) = con.execute("SELECT import_id FROM imports").fetchall()
    assert [c for c, _ in read] == comments and {i for _, i in read} == {imported[0]}
    # the snapshot is not a column of the items users read
    assert "first_snapshot" not in handle.items.column_names

    rows[7]["comment"] = str(int(rows[7]["comment"]) + 2)
    newer = tmp_path / "newer.csv"
    with newer.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    again = handle.import_file(newer, "facebook-insights", org="Brand", year=2014)
    assert again.ok and (again.total("updated"), again.total("snapshots")) == (1, 1)
    assert con.execute("SELECT comments FROM metric_snapshot_rows").fetchall() == [
        (int(rows[7]["comment"]),)
    ]
    history = con.execute(
        "SELECT s.comments FROM metric_snapshots s JOIN metric_snapshot_rows r "
        "USING (subject_id) ORDER BY s.observed_at"
    ).fetchall()
    assert history == [(int(rows[7]["comment"]) - 2,), (int(rows[7]["comment"]),)]
    assert len(handle.snapshots) == 501


def test_an_older_export_imported_again_adds_nothing(handle: jauge.Jauge, tmp_path: Path) -> None:
    """Snapshots of an export older than the latest are compared with what was known at
    their time (QA: each import of an older UCI export added its 63 snapshots again), and
    a same-day correction is stored once, however often it is imported."""
    import csv
    from datetime import datetime

    from .conftest import UCI_FACEBOOK

    with UCI_FACEBOOK.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))

    def export(name: str, likes: dict[int, int]) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, list(rows[0]), delimiter=";")
            writer.writeheader()
            for i, row in enumerate(rows):
                if i in likes:  # the export's total follows its likes
                    total = likes[i] + int(row["comment"]) + int(row["share"])
                    row = {**row, "like": likes[i], "Total Interactions": total}
                writer.writerow(row)
        return path

    def totals() -> set[str]:
        return {
            r[0]
            for r in handle.store.con.execute(
                "SELECT extra->>'total_interactions' FROM content_items"
            ).fetchall()
        }

    def imported(path: Path, day: int) -> int:
        result = handle.import_file(
            path, "facebook-insights", org="Brand", year=2014, observed_at=datetime(2015, 1, day)
        )
        assert result.ok
        return result.total("snapshots")

    liked = {i: int(rows[i]["like"]) for i in (3, 8, 13)}
    assert imported(export("w1.csv", {}), 5) == 500
    assert imported(export("w2.csv", {i: n + 20 for i, n in liked.items()}), 12) == 3
    newer = totals()
    older = export("w-mid.csv", {i: n + 10 for i, n in liked.items()})
    assert imported(older, 8) == 3  # what was known on the 8th, between the two
    assert imported(older, 8) == 0
    assert totals() == newer  # older news: the items keep what the newer export gave
    correction = export("w2c.csv", {i: n + 19 for i, n in liked.items()})
    assert imported(correction, 12) == 3  # the same day as w2: stored just after it
    assert imported(correction, 12) == 0

    def read() -> list[tuple[int]]:  # each count's latest, as the index reads it
        return handle.store.con.execute(
            "SELECT arg_max(reactions, observed_at) FROM metric_snapshots WHERE subject_id IN "
            "(SELECT subject_id FROM metric_snapshot_rows) GROUP BY subject_id ORDER BY 1"
        ).fetchall()

    assert read() == sorted((n + 19,) for n in liked.values())  # that day's import last
    # w2 imported again, after its correction: read as the latest in its turn, once
    again = export("w2-again.csv", {i: n + 20 for i, n in liked.items()})
    assert (imported(again, 12), imported(again, 12)) == (3, 0)
    assert read() == sorted((n + 20,) for n in liked.values())
    assert (imported(correction, 12), read()) == (3, sorted((n + 19,) for n in liked.values()))
    history = handle.store.con.execute(
        "SELECT observed_at::DATE::VARCHAR, reactions FROM metric_snapshots m "
        "JOIN content_items c ON c.item_id = m.subject_id WHERE m.reactions IS NOT NULL "
        "AND c.item_id IN (SELECT subject_id FROM metric_snapshot_rows) ORDER BY ALL"
    ).fetchall()
    expected = sorted(
        (day, n + extra)
        for n in liked.values()
        for day, extra in (("2015-01-05", 0), ("2015-01-08", 10), ("2015-01-12", 19),
                           ("2015-01-12", 19), ("2015-01-12", 20), ("2015-01-12", 20))
    )  # fmt: skip
    assert history == expected


def test_an_older_export_does_not_undo_a_newer_one_that_changed_no_count(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """Migration 16: a newer export that mends texts but no count leaves no snapshot; an
    older export imported after it left the texts as the newer one gave them only when a
    snapshot said the older was older (QA: corrected texts flipped back and forth)."""
    import csv
    from datetime import datetime

    first = _airline_posts(tmp_path / "w1.csv", own=0)
    with first.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    mended = tmp_path / "w2.csv"
    with mended.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(
            [
                rows[0],
                *([*r[:5], r[5] + " [edited]"] if i < 5 else r for i, r in enumerate(rows[1:])),
            ]
        )

    def imported(path: Path, day: int) -> tuple[int, int]:
        result = handle.import_file(
            path, "posts-csv", platform="x", observed_at=datetime(2015, 3, day)
        )
        assert result.ok
        return result.total("inserted"), result.total("updated")

    assert imported(first, 1) == (60, 0)
    assert imported(mended, 15) == (0, 5)
    assert imported(first, 8) == (0, 0)  # older news
    edited = handle.store.con.execute(
        "SELECT count(*) FROM content_items WHERE text LIKE '% [edited]'"
    ).fetchall()
    assert edited == [(5,)]
    assert imported(first, 20) == (0, 5)  # newer: it wins


def test_a_store_of_schema_14_keeps_its_snapshots(db_path: Path) -> None:
    """Migration 15 leaves the snapshots it finds where they are: the view reads them."""
    con = _store_of_schema(db_path, 14)
    con.execute(
        """
        INSERT INTO metric_snapshots (subject_type, subject_id, workspace, observed_at,
            reactions, followers, extra, import_id) VALUES
            ('item', 'p1', 'default', TIMESTAMP '2014-03-01', 79, NULL, '{"paid": 0}', 'i1'),
            ('item', 'p1', 'default', TIMESTAMP '2014-04-01', 130, NULL, NULL, 'i2'),
            ('account', 'a1', 'default', TIMESTAMP '2014-04-01', NULL, 139441, NULL, 'i2');
        """
    )
    before = con.execute("SELECT * FROM metric_snapshots ORDER BY ALL").fetchall()
    con.close()
    store = Store(db_path)
    assert store.schema_version() == migrations()[-1][0]
    assert store.con.execute("SELECT * FROM metric_snapshots ORDER BY ALL").fetchall() == before
    assert store.con.execute("SELECT count(*) FROM metric_snapshot_rows").fetchall() == [(3,)]
    store.close()


def test_a_newer_export_without_a_column_changes_no_snapshot(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """The real UCI posts, exported again without the likes column: a value the export
    does not give is unknown, not a change; a count that did change still makes one."""
    import csv

    from .conftest import UCI_FACEBOOK

    def uci(path: Path) -> jauge.ImportResult:
        return handle.import_file(path, "facebook-insights", org="Brand", year=2014)

    assert uci(UCI_FACEBOOK).ok
    with UCI_FACEBOOK.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    columns = [c for c in rows[0] if c != "like"]
    newer = tmp_path / "without-likes.csv"
    rows[7]["comment"] = str(int(rows[7]["comment"]) + 2)
    with newer.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns, delimiter=";", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    result = uci(newer).to_dict()
    assert (result["inserted"], result["updated"], result["unchanged"]) == (0, 1, 499)
    snapshots = handle.snapshots.to_pandas()
    assert len(snapshots) == 501


def test_a_file_that_is_no_store_is_refused_not_opened_in_memory(tmp_path: Path) -> None:
    """`--db Tweets.csv` (the export instead of the store): the engine would open it as a
    throw-away database in memory, and the import would report rows that are then gone."""
    export = tmp_path / "Tweets.csv"
    export.write_bytes(AIRLINE_TWEETS.read_bytes())
    with pytest.raises(jauge.StoreError, match="is not a jauge store"):
        jauge.open(export)
    assert export.read_bytes() == AIRLINE_TWEETS.read_bytes()
