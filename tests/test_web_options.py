"""The organisation choosers: names escaped, chosen ones marked, lists kept per set of names."""

from __future__ import annotations

from jauge.web.options import _plain, options, suggestions

# real brand names that HTML must escape
BRANDS = ["AT&T", "Ben & Jerry's", "Virgin America", '"Weird Al" Yankovic']


def test_options_escape_names_and_mark_the_chosen_ones():
    one = str(options(BRANDS, "Ben & Jerry's"))
    assert one == (
        "<option>AT&amp;T</option><option selected>Ben &amp; Jerry&#39;s</option>"
        "<option>Virgin America</option><option>&#34;Weird Al&#34; Yankovic</option>"
    )
    several = str(options(BRANDS, ["AT&T", "Virgin America", "not listed"]))
    assert several.count("<option selected>") == 2
    assert str(options(BRANDS, None)).count("<option>") == len(BRANDS)


def test_suggestions_put_names_in_quoted_values():
    assert str(suggestions(BRANDS[:2])) == (
        '<option value="AT&amp;T"><option value="Ben &amp; Jerry&#39;s">'
    )


def test_the_escaped_list_is_built_once_per_set_of_names():
    _plain.cache_clear()
    for chosen in BRANDS:
        options(BRANDS, chosen)
    info = _plain.cache_info()
    assert (info.misses, info.hits) == (1, len(BRANDS) - 1)
