"""What people read for the index's pillars, indicators and units, in their language.

The specification names them with identifiers (``engagement_depth``,
``items_with_reach``): JSON outputs, kept messages and the docs use those, since they
never change with the language. Tables and notes meant for people (the CLI's
breakdown, the dashboard) show these labels instead; their French is in
``jauge/locales/fr.json`` with every other message. A test checks that every name of
every specification version has a label.
"""

from __future__ import annotations

import math
from typing import Final

from ..i18n import N_, _, catalogue, language, localised, number, singular, values_in

PILLARS: Final = {
    "engagement_depth": N_("Engagement depth"),
    "relationship_health": N_("Relationship health"),
    "business_impact": N_("Business impact"),
    "qualified_attention": N_("Qualified attention"),
}

INDICATORS: Final = {
    "conversation": N_("Conversation"),
    "amplification": N_("Amplification"),
    "saves_clicks": N_("Saves and clicks"),
    "applause": N_("Applause"),
    "returning_engagers": N_("Returning people"),
    "two_way": N_("Two-way exchanges"),
    "response_rate": N_("Response rate"),
    "cohort_retention": N_("Cohort retention"),
    "net_sentiment": N_("Net sentiment"),
    "time_to_first_response": N_("Time to first response"),
    "value_per_session": N_("Value per session"),
    "sessions_per_1k_reach": N_("Sessions per 1,000 reached"),
    "conversion": N_("Conversion"),
    "reach_per_follower": N_("Reach per follower"),
    "new_engagers_per_1k_reach": N_("New people per 1,000 reached"),
}

#: what an indicator's ``n`` counts (the spec's ``unit``), as in "3 posts"
UNITS: Final = {
    "items": N_("posts"),
    "items_with_comments": N_("posts that report comments"),
    "items_with_shares": N_("posts that report shares"),
    "items_with_reactions": N_("posts that report reactions"),
    "items_with_saves_or_clicks": N_("posts that report saves or clicks"),
    "engagers": N_("people who engaged"),
    "threads": N_("conversations started by others"),
    "answered_threads": N_("answered conversations"),
    "new_engagers_first_half": N_("new people in the first half"),
    "opinions": N_("opinions"),
    "items_with_reach_and_followers": N_("posts that report reach and followers"),
    "items_with_reach": N_("posts that report reach"),
    "sessions": N_("sessions"),
    "reach_thousands": N_("thousands of people reached"),
}

#: the same, for one of them ("1 post"; in French also 0: "0 personne engagée")
UNITS_ONE: Final = {
    "items": N_("post"),
    "items_with_comments": N_("post that reports comments"),
    "items_with_shares": N_("post that reports shares"),
    "items_with_reactions": N_("post that reports reactions"),
    "items_with_saves_or_clicks": N_("post that reports saves or clicks"),
    "engagers": N_("person who engaged"),
    "threads": N_("conversation started by others"),
    "answered_threads": N_("answered conversation"),
    "new_engagers_first_half": N_("new person in the first half"),
    "opinions": N_("opinion"),
    "items_with_reach_and_followers": N_("post that reports reach and followers"),
    "items_with_reach": N_("post that reports reach"),
    "sessions": N_("session"),
    "reach_thousands": N_("thousand people reached"),
}

#: an indicator's warning when it counts too few of its unit (kept in English in results)
INSUFFICIENT_DATA: Final = N_(
    "{indicator}: insufficient data ({n} {unit}, at least {least} needed)"
)

_LABELS: Final = {**PILLARS, **INDICATORS, **UNITS}


def label(name: str) -> str:
    """The label of a pillar, indicator or unit in the current language; any other
    word comes back as it is."""
    english = _LABELS.get(name)
    if english is None:
        return name
    return catalogue(language()).get(english, english)


def counted(unit: str, n: float) -> str:
    """The label of ``unit`` as it follows the count ``n``: singular or plural, as the
    current language has it."""
    english = UNITS_ONE.get(unit) if singular(n) else UNITS.get(unit)
    return catalogue(language()).get(english, english) if english else label(unit)


def note(warning: str) -> str:
    """An index result's warning (kept in English, naming indicators and units by their
    identifiers) as people read it: in their language, with labels for those names."""
    short = values_in(INSUFFICIENT_DATA, warning)
    if short is not None:
        try:
            n = float(short["n"])
        except ValueError:
            n = math.nan  # a warning written otherwise: its unit keeps the plural
        return _(
            INSUFFICIENT_DATA,
            indicator=label(short["indicator"]),
            n=short["n"] if math.isnan(n) else number(n, "g"),
            unit=counted(short["unit"], n),
            least=short["least"],
        )
    return localised(warning, names=label)
