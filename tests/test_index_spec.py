"""The index specification: validated on load, and its golden test vectors."""

import copy
import json
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pytest

from jauge.errors import ConfigError
from jauge.metrics.index import score_statistics
from jauge.metrics.panel import parse_panel
from jauge.metrics.spec import LATEST, load_spec, parse_spec, spec_files
from jauge.metrics.statistics import SCOPE_STAT_COLUMNS as COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def raw_spec() -> dict:
    return json.loads(spec_files()[LATEST].read_text())


def test_the_latest_spec_loads_and_weights_add_up() -> None:
    spec = load_spec()
    assert spec.version == LATEST == "jauge-index/1.0.3"
    assert abs(sum(p.weight for p in spec.pillars) - 1) < 1e-12
    assert spec.min_days >= 28 and spec.default_days == 90
    assert {p.name for p in spec.pillars} == {
        "engagement_depth",
        "relationship_health",
        "business_impact",
        "qualified_attention",
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["pillars"][1]["indicators"][2].update(weight=0.5),
            "pillars[1].indicators: weights of a pillar's indicators must sum to 1",
        ),
        (lambda d: d["pillars"][0].update(weight=0.9), "pillars: pillar weights must sum to 1"),
        (lambda d: d["window"].update(min_days=7), "window.min_days: windows must be at least 28"),
        (
            lambda d: d["pillars"][0]["indicators"][0].update(direction="up"),
            "pillars[0].indicators[0].direction",
        ),
        (
            lambda d: d["pillars"][0]["indicators"][0].pop("formula"),
            "pillars[0].indicators[0]: missing 'formula'",
        ),
        (lambda d: d.update(version="1.0"), "version: expected jauge-index/MAJOR.MINOR.PATCH"),
        (
            lambda d: d.update(snapshot_counts="latest"),
            "snapshot_counts: expected one of latest_snapshot, latest_known",
        ),
        (lambda d: d.update(medians="mean"), "medians: expected one of lower, midpoint"),
        (
            lambda d: d.update(min_reference_units=0),
            "min_reference_units: a reference needs at least one unit",
        ),
    ],
)
def test_a_bad_spec_is_refused_with_the_path_of_the_value(edit, message) -> None:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(raw_spec())
    edit(data)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_spec(data, "test.json")


def test_every_indicator_of_the_spec_is_documented() -> None:
    doc = (ROOT / "docs" / "index-spec.md").read_text()
    assert LATEST in doc
    for indicator in load_spec().indicators:
        assert f"`{indicator.name}`" in doc, indicator.name


def _table(name: str, columns: dict) -> pa.Table:
    if not columns:
        types = {
            c: pa.string() if c in ("item_id", "person_id", "platform") else pa.float64()
            for c in COLUMNS[name]
        }
        return pa.table({c: pa.array([], t) for c, t in types.items()})
    return pa.table({c: columns[c] for c in COLUMNS[name]})


#: every version's golden vectors: old versions stay computable, with their figures
GOLDEN = [
    json.loads(entry.read_text())
    for entry in sorted(
        resources.files("jauge.metrics").joinpath("specs", "golden").iterdir(),
        key=lambda e: e.name,
    )
    if entry.name.endswith(".json")
]
CASES = [(golden, case) for golden in GOLDEN for case in golden["cases"]]


def test_every_version_has_golden_vectors() -> None:
    assert {g["index_version"] for g in GOLDEN} == set(spec_files())


@pytest.mark.parametrize(
    ("golden", "case"), CASES, ids=[f"{g['index_version']}: {c['name']}" for g, c in CASES]
)
def test_golden_vectors(golden: dict, case: dict) -> None:
    spec = load_spec(golden["index_version"])
    panel = parse_panel(golden["panel"], "golden")
    # a table a case leaves out is empty (cases written before it existed)
    stats = {name: _table(name, case["stats"].get(name, {})) for name in COLUMNS}
    result = score_statistics(spec, panel, stats, case["scope"])
    expected = case["expected"]
    assert result.coverage["stratum"] == expected["stratum"]
    for name, want in expected["components"].items():
        got = result.components[name]
        assert got.value == pytest.approx(want["value"], abs=1e-9), name
        assert got.detail["shrunk"] == pytest.approx(want["shrunk"], abs=1e-6), name
        assert got.score == pytest.approx(want["score"], abs=1e-9), name
    for name in expected["unscored"]:
        assert name not in result.components or result.components[name].score is None, name
    for name, want in expected["pillars"].items():
        assert result.pillars[name].score == pytest.approx(want, abs=1e-9), name
    assert result.score == pytest.approx(expected["score"], abs=1e-9)
    # the same inputs keep the fingerprint reports and snapshots were published with
    assert result.fingerprint == expected["fingerprint"]
    low, high = result.interval
    assert 0 <= low <= high <= 100


def test_vectorised_percentiles_match_the_scalar_definition() -> None:
    import numpy as np

    from jauge.metrics.panel import Distribution, percentile, percentiles

    q = np.array([0.0, 1, 1, 1, 2, 5, 5, 8, 9, 9, 10])
    d = Distribution(10, np.interp(np.linspace(0, 10, 101), np.arange(11), q))
    values = np.array([-1.0, 0.0, 0.5, 1.0, 1.5, 5.0, 7.0, 9.0, 10.0, 11.0, np.nan])
    got = percentiles(d, values)
    for v, g in zip(values[:-1], got[:-1], strict=True):
        assert g == pytest.approx(percentile(d, float(v)), abs=1e-12), v
    assert np.isnan(got[-1])


def test_interval_percentiles_are_numpys_bit_for_bit() -> None:
    """Intervals use a lean copy of np.percentile's linear method: it must give exactly
    numpy's numbers, or the same data would give other intervals after the change."""
    import numpy as np

    from jauge.metrics.index import linear_percentiles

    rng = np.random.default_rng(20261124)
    for size in [*range(1, 40), 199, 200, 201, 1000]:
        for values in (
            rng.normal(50, 20, size),
            rng.integers(0, 5, size).astype(float),  # ties, as in small samples
            rng.exponential(1e-3, size),
            rng.uniform(-1e6, 1e6, size),
        ):
            for level in (0.9, 0.95, 0.5, 0.99):
                tail = (1.0 - level) / 2.0 * 100.0
                want = np.percentile(values, [tail, 100.0 - tail]).tolist()
                assert linear_percentiles(values, (tail, 100.0 - tail)) == want, (size, level)


def test_text_columns_enter_the_fingerprint_as_their_joined_values() -> None:
    """The fingerprint reads text columns straight from Arrow's buffers: byte for byte
    what joining their values as Python strings gives, for slices, chunks and nulls."""
    import random

    import pyarrow as pa

    from jauge.metrics.fingerprint import _joined_text

    rng = random.Random(20261124)
    alphabet = "abcxyz019 -_éàç€日本\x1f"
    arrays = [pa.array([], pa.string()), pa.array(["", ""]), pa.array(["seul"])]
    for _ in range(200):
        n = rng.randrange(0, 40)
        with_nulls = rng.random() < 0.3
        arrays.append(
            pa.array(
                [
                    None
                    if with_nulls and rng.random() < 0.2
                    else "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 9)))
                    for _ in range(n)
                ],
                pa.string(),
            )
        )
    columns = []
    for array in arrays:
        n = len(array)
        columns += [pa.chunked_array([array], pa.string())]
        if n > 4:
            columns += [
                pa.chunked_array([array.slice(2, n - 4)]),
                pa.chunked_array([array]).slice(1, n - 3),
                pa.chunked_array([array.slice(0, 2), array.slice(2)]),
            ]
    columns += [pa.chunked_array([[1.5, None]]), pa.chunked_array([[3, None]], pa.int64())]
    for values in columns:
        assert _joined_text(values) == "\x1f".join(map(str, values.to_pylist())).encode()
