"""The youtube-studio importer: real videos of French media, in YouTube Studio's export layout."""

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pytest

import jauge

from .conftest import DATA

VIDEOS = DATA / "french-media-engagement" / "youtube_videos_sample.csv"
CHANNELS = {"UCYpRDnhk5H8h16jpS84uqsA": "Le Monde", "UCSKdvgqdnj72_SLggp7BDTg": "Brut"}
#: Studio's table, as public code that reads it lists its columns: English...
ENGLISH = (
    "Content", "Video title", "Video publish time", "Duration", "Views",
    "Watch time (hours)", "Subscribers", "Likes", "Comments added", "Shares", "Impressions",
    "Impressions click-through rate (%)",
)  # fmt: skip
#: ... and French, for the columns whose French names are known
FRENCH = ("Contenu", "Titre de la vidéo", "Heure de publication de la vidéo", "Durée", "Vues")
FRENCH_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
)  # fmt: skip


def videos(channel: str) -> list[dict[str, str]]:
    with VIDEOS.open(newline="", encoding="utf-8") as f:
        return [v for v in csv.DictReader(f, delimiter=";") if v["channelId"] == channel]


def seconds(iso: str) -> int:
    """An ISO 8601 duration (PT10M55S) in seconds, as Studio's Duration column gives it."""
    parts = re.fullmatch(r"P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", iso)
    assert parts, iso
    d, h, m, s = (int(p or 0) for p in parts.groups())
    return ((d * 24 + h) * 60 + m) * 60 + s


def export(rows: list[dict[str, str]], french: bool = False) -> str:
    """The real videos and their real public counts, with the channel's Total first, in
    Studio's layout. Watch time, subscribers, shares and impressions are only known to
    the channel, so the dataset has none: they are left empty. In French, digits are
    grouped with narrow no-break spaces and dates are written "28 sept. 2026"."""

    def number(value: str | int) -> str:
        return f"{int(value):,}".replace(",", "\u202f") if french and value != "" else str(value)

    def published(iso: str) -> str:
        day = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        if french:
            return f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
        return f"{day:%b} {day.day}, {day.year}"

    header = FRENCH if french else ENGLISH
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    total = {
        "views": sum(int(v["viewCount"]) for v in rows),
        "likes": sum(int(v["likeCount"] or 0) for v in rows),
        "comments": sum(int(v["commentCount"] or 0) for v in rows),
    }
    totals = ["Total", "", "", "", number(total["views"])]
    if not french:
        totals += ["", "", total["likes"], total["comments"], "", "", ""]
    w.writerow(totals)
    for v in rows:
        video = f" {v['videoId']}" if v["videoId"].startswith("-") else v["videoId"]
        cells = [video, v["title"], published(v["publishedAt"]), seconds(v["duration"])]
        cells.append(number(v["viewCount"]))
        if not french:
            cells += ["", "", v["likeCount"], v["commentCount"], "", "", ""]
        w.writerow(cells)
    return out.getvalue()


@pytest.mark.parametrize("french", [False, True], ids=["english", "french"])
def test_each_video_is_the_channels_own_with_its_counts(
    handle: jauge.Jauge, tmp_path: Path, french: bool
) -> None:
    for channel, name in CHANNELS.items():
        path = tmp_path / f"{name} Table data.csv"
        path.write_text(export(videos(channel), french), encoding="utf-8")
        result = handle.import_file(path, "youtube-studio", org=name)
        assert result.ok, result.errors[:3]
        assert result.to_dict()["inserted"] == len(videos(channel))
    got = {
        r["native_id"]: r
        for r in handle.sql(
            "SELECT i.native_id, i.platform, i.is_own, i.title, i.url, i.created_at, "
            "o.name AS org, s.video_views, s.reactions, s.comments, s.impressions, "
            "json_extract_string(i.extra, '$.duration_seconds') AS duration "
            "FROM content_items i JOIN organisations o USING (org_id) "
            "JOIN metric_snapshots s ON s.subject_id = i.item_id"
        ).to_pylist()
    }
    assert "Total" not in got
    for channel, name in CHANNELS.items():
        for v in videos(channel):
            video = got[v["videoId"]]  # ids that begin with "-" lose Studio's space
            assert (video["platform"], video["is_own"], video["org"]) == ("youtube", True, name)
            assert video["title"] == v["title"]
            assert video["url"] == f"https://www.youtube.com/watch?v={v['videoId']}"
            published = datetime.fromisoformat(v["publishedAt"][:10])
            assert video["created_at"] == published  # Studio gives the day only
            assert video["video_views"] == int(v["viewCount"])
            assert video["duration"] == str(seconds(v["duration"]))
            assert video["impressions"] is None
            if french:  # the French columns read here carry no likes or comments
                assert video["reactions"] is None and video["comments"] is None
            else:
                assert video["reactions"] == int(v["likeCount"])
                assert video["comments"] == (int(v["commentCount"]) if v["commentCount"] else None)
    path = tmp_path / "Brut Table data.csv"
    again = handle.import_file(path, "youtube-studio", org="Brut")
    assert again.to_dict()["unchanged"] == len(videos("UCSKdvgqdnj72_SLggp7BDTg"))


def test_an_error_names_its_line_under_the_channels_total(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    rows = videos("UCYpRDnhk5H8h16jpS84uqsA")
    content = export(rows).splitlines(keepends=True)
    # the fifth video is on line 7: the header, then the Total, then videos
    content[6] = content[6].replace(f",{rows[4]['viewCount']},", ",beaucoup,", 1)
    path = tmp_path / "Table data.csv"
    path.write_text("".join(content), encoding="utf-8")
    result = handle.import_file(path, "youtube-studio", org="Le Monde")
    assert not result.ok and handle.items.num_rows == 0
    [error] = result.errors
    assert (error.line, error.field) == (7, "Views")
    assert '"beaucoup"' in error.message


def test_line_numbers_stay_exact_deep_into_a_french_export(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    # 3,280 rows: the real videos of both channels, each repeated 40 times under its own
    # id (generated from the real data: the engine reads files this size in parallel)
    real = videos("UCYpRDnhk5H8h16jpS84uqsA") + videos("UCSKdvgqdnj72_SLggp7BDTg")
    rows = [{**v, "videoId": f"{v['videoId']}-{n}"} for n in range(40) for v in real]
    lines = export(rows, french=True).splitlines(keepends=True)
    assert len(lines) > 3000
    deep = 3001  # a line (the header, then the Total, then videos) with a broken date
    cells = next(csv.reader([lines[deep - 1]]))
    cells[2] = "1er mars 2020"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    lines[deep - 1] = out.getvalue()
    path = tmp_path / "Table data.csv"
    path.write_text("".join(lines), encoding="utf-8")
    result = handle.import_file(path, "youtube-studio", org="Le Monde")
    [error] = result.errors
    assert (error.line, error.field) == (deep, "Heure de publication de la vidéo")
    assert '"1er mars 2020"' in error.message and "28 sept. 2026" in error.message


@pytest.mark.parametrize("ending", ["\n", "\r"], ids=["lf", "cr"])
def test_the_total_alone_or_with_old_mac_line_endings(
    handle: jauge.Jauge, tmp_path: Path, ending: str
) -> None:
    rows = videos("UCYpRDnhk5H8h16jpS84uqsA")
    path = tmp_path / "Table data.csv"
    path.write_text(export(rows).replace("\n", ending), encoding="utf-8")
    result = handle.import_file(path, "youtube-studio", org="Le Monde")
    assert result.ok and result.to_dict()["inserted"] == len(rows)
    # an export of a channel without videos in the period: the header and the Total
    alone = tmp_path / "empty period.csv"
    alone.write_text("".join(export(rows).splitlines(keepends=True)[:2]), encoding="utf-8")
    empty = handle.import_file(alone, "youtube-studio", org="Le Monde")
    assert empty.ok and empty.to_dict()["inserted"] == 0
