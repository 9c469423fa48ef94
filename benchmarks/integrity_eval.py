"""Integrity benchmark: how well the profile signals tell fake accounts from real ones, and
how fast `jauge integrity` assesses a large store, each next to a baseline in the same run.

Accuracy, on the development splits of two labelled datasets (tests/data/*/SOURCE.md):
Cresci et al. 2015 (humans and bought Twitter followers) and InstaFake (real and fake
Instagram accounts). jauge's signals are fixed rules; the baseline is what a learned model
does with the same six facts and the labels: a scikit-learn logistic regression, scored
by 5-fold cross-validation within a dataset, and trained on one dataset to flag the
other's accounts (which is what a model shipped with jauge would face).

Speed: `jauge integrity` on the community benchmark's store (100,000 persons, 1,000,000
interactions; generated from the airline data's distributions, see community.py), whose
persons get profile facts resampled from the Cresci accounts (humans and fakes alike) and
into which a pod of 20 accounts engaging within minutes of each of the 90 posts is
injected; next to a straightforward pandas and networkx implementation of the same rules
(same flagged persons, same groups). Each measurement runs in a fresh process.
Run: python benchmarks/integrity_eval.py [--persons 100000 --interactions 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.community import WORKSPACE, generate  # noqa: E402
from benchmarks.fresh import in_fresh_process  # noqa: E402
from tests.test_integrity import cresci, instafake  # noqa: E402

FEATURES = ("followers", "following", "posts", "has_avatar", "has_bio", "digits")
POD = 20


def _matrix(profiles: list[dict[str, Any]]) -> Any:
    import numpy as np

    rows = [
        [
            np.log1p(p["followers"]),
            np.log1p(p["following"]),
            np.log1p(p["posts"]),
            float(p["has_avatar"]),
            float(p["has_bio"]),
            float(sum(c.isdigit() for c in p["handle"])),
        ]
        for p in profiles
    ]
    return np.asarray(rows)


def _scores(flagged: list[bool], fake: list[bool]) -> dict[str, float]:
    hits = sum(f and y for f, y in zip(flagged, fake, strict=True))
    precision = hits / max(sum(flagged), 1)
    recall = hits / sum(fake)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def accuracy() -> None:
    import pyarrow as pa
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from jauge.integrity.profile import score_profiles

    data = {"Cresci 2015 (Twitter)": cresci(), "InstaFake (Instagram)": instafake()}
    print("Accuracy: flagging accounts as fake (p >= 0.5), development splits")
    print(f"  {'dataset':<24} {'method':<44} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, (profiles, fake) in data.items():
        p = score_profiles(pa.Table.from_pylist(profiles)).column("p_inauthentic").to_pylist()
        ours = _scores([x >= 0.5 for x in p], fake)
        kept_real = sum(1 - x for x, y in zip(p, fake, strict=True) if not y) / fake.count(False)
        kept_fake = sum(1 - x for x, y in zip(p, fake, strict=True) if y) / fake.count(True)
        model = LogisticRegression(max_iter=1000, class_weight="balanced")
        cv = cross_val_predict(model, _matrix(profiles), fake, cv=5)
        learned = _scores([bool(v) for v in cv], fake)
        others = [o for o in data if o != name]
        train_profiles, train_fake = data[others[0]]
        transfer = _scores(
            [
                bool(v)
                for v in model.fit(_matrix(train_profiles), train_fake).predict(_matrix(profiles))
            ],
            fake,
        )
        for label, s in (
            ("jauge's signals (fixed rules)", ours),
            ("logistic regression, 5-fold CV on this data", learned),
            (f"logistic regression trained on {others[0].split()[0]}", transfer),
        ):
            print(
                f"  {name:<24} {label:<44} {s['precision']:>9.3f} {s['recall']:>7.3f} "
                f"{s['f1']:>6.3f}"
            )
        print(
            f"  {'':<24} F1 jauge / cross-validated model: {ours['f1'] / learned['f1']:.2f}; "
            f"mean weight kept: real {kept_real:.3f}, fake {kept_fake:.3f}"
        )


def _prepare(db: Path, persons: int, interactions: int) -> None:
    """The community benchmark's store, with resampled Cresci profiles and a pod."""
    import pyarrow as pa

    import jauge

    generate(db, persons, interactions)
    profiles, _fake = cresci()
    with jauge.open(db, workspace=WORKSPACE) as j:
        con = j.store.con
        con.register("profiles", pa.Table.from_pylist(profiles))
        con.execute("CREATE TEMP TABLE pr AS SELECT row_number() OVER () - 1 AS k, * FROM profiles")
        con.execute(
            f"""
            UPDATE persons SET followers = pr.followers, following = pr.following,
                   posts = pr.posts, has_avatar = pr.has_avatar, has_bio = pr.has_bio,
                   declared_bot = false
            FROM pr WHERE pr.k = CAST(hash(persons.person_id) % {len(profiles)} AS BIGINT);
            INSERT INTO persons (person_id, workspace, platform, native_id, handle)
            SELECT md5('pod' || m), '{WORKSPACE}', 'x', 'pod' || m, 'pod' || m
            FROM range({POD}) r(m);
            INSERT INTO standalone_interactions
            SELECT 'pod' || m || '-' || o.item_id, '{WORKSPACE}', 'x', 'reply',
                   md5('pod' || m), o.org_id, o.item_id, NULL,
                   o.created_at + to_minutes(1 + m // 4), 'bench'
            FROM range({POD}) r(m), content_items o
            WHERE o.workspace = '{WORKSPACE}' AND o.is_own;
            """
        )


def measure(kind: str, db: str) -> None:
    import jauge

    started = time.perf_counter()
    with jauge.open(db, workspace=WORKSPACE) as j:
        if kind == "jauge":
            report = j.integrity(limit=0)
            flagged, groups = report.flagged, sorted(sorted(g.members) for g in report.groups)
        else:
            flagged, groups = _pandas(j)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "flagged": flagged, "groups": groups, "peak": peak}))


def _pandas(j: Any) -> tuple[int, list[list[str]]]:
    """The same rules, written plainly with pandas, numpy and networkx."""
    import networkx as nx
    import numpy as np

    from jauge.integrity.lockstep import LockstepRules

    persons = j.sql("SELECT * FROM persons").to_pandas()
    fol = persons["followers"].astype("float")
    ing = persons["following"].astype("float")
    points = (
        3.0 * ((ing >= 20) & (ing >= 10 * np.maximum(fol.fillna(0), 1)))
        + 2.0 * (persons["has_avatar"] == False)  # noqa: E712 (NULL is not False)
        + 1.5 * (persons["posts"].astype("float") <= 5)
        + 1.0 * (fol < 30)
        + 0.5 * (persons["has_bio"] == False)  # noqa: E712
        + 0.5 * (persons["handle"].fillna("").str.count(r"\d") >= 3)
    )
    p = np.clip((points - 1.5) / 3.0, 0, 1)
    p[persons["declared_bot"].fillna(False).astype(bool)] = 1.0
    interactions = j.sql(
        "SELECT actor_person_id AS person, target_item_id AS item, occurred_at FROM interactions"
    ).to_pandas()
    own = j.sql("SELECT item_id AS item, created_at FROM content_items WHERE is_own").to_pandas()
    early = interactions.merge(own, on="item")
    delay = early["occurred_at"] - early["created_at"]
    rules = LockstepRules()  # the same thresholds as `jauge integrity`'s defaults
    window = np.timedelta64(rules.minutes, "m")
    early = early[(delay >= np.timedelta64(0)) & (delay < window)]
    early = early[["person", "item"]].drop_duplicates()
    sizes = early.groupby("person").size()
    early = early[early["person"].map(sizes) >= rules.min_items]
    pairs = early.merge(early, on="item")
    pairs = pairs[pairs["person_x"] < pairs["person_y"]]
    shared = pairs.groupby(["person_x", "person_y"]).size().reset_index(name="shared")
    shared = shared[shared["shared"] >= rules.min_items]
    union = shared["person_x"].map(sizes) + shared["person_y"].map(sizes) - shared["shared"]
    shared = shared[shared["shared"] >= rules.min_overlap * union]
    graph = nx.from_pandas_edgelist(shared, "person_x", "person_y")
    groups = sorted(sorted(c) for c in nx.connected_components(graph) if len(c) >= rules.min_group)
    in_group = persons["person_id"].isin({m for g in groups for m in g})
    flagged = int(((1 - p <= 0.5) | in_group).sum())
    return flagged, groups


def speed(persons: int, interactions: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="jauge-integrity-"))
    try:
        db = folder / "store.duckdb"
        t = time.perf_counter()
        _prepare(db, persons, interactions)
        print(
            f"\nSpeed: {persons:,} persons, {interactions:,} interactions, a pod of {POD} "
            f"(store generated in {time.perf_counter() - t:.1f} s)"
        )
        runs = {}
        for kind in ("jauge", "pandas"):
            runs[kind] = in_fresh_process(__file__, "--measure", kind, str(db))
        for kind, label in (
            ("jauge", "jauge integrity (assess and store)"),
            ("pandas", "pandas + networkx, same rules (no storing)"),
        ):
            r = runs[kind]
            print(
                f"  {label:<44} {r['seconds']:6.2f} s  {persons / r['seconds']:>9,.0f} persons/s"
                f"  peak {r['peak'] / 2**20:,.0f} MiB  flagged {r['flagged']:,}, "
                f"{len(r['groups'])} group(s) of {[len(g) for g in r['groups']]}"
            )
        same = runs["jauge"]["groups"] == runs["pandas"]["groups"]
        same = same and runs["jauge"]["flagged"] == runs["pandas"]["flagged"]
        print(
            f"  speed-up: {runs['pandas']['seconds'] / runs['jauge']['seconds']:.1f}x; "
            f"same flagged persons and groups: {'yes' if same else 'NO'}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    accuracy()
    speed(args.persons, args.interactions)


if __name__ == "__main__":
    main()
