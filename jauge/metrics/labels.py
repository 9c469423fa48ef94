"""What people read for the index's pillars, indicators and units, in their language.

The specification names them with identifiers (``engagement_depth``,
``items_with_reach``): JSON outputs, kept messages and the docs use those, since they
never change with the language. Tables and notes meant for people (the CLI's
breakdown, the dashboard) show these labels instead; their French is in
``jauge/locales/fr.json`` with every other message. A test checks that every name of
every specification version has a label.
"""

from __future__ import annotations

from typing import Final

from ..i18n import N_, catalogue, language, localised

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

_LABELS: Final = {**PILLARS, **INDICATORS, **UNITS}


def label(name: str) -> str:
    """The label of a pillar, indicator or unit in the current language; any other
    word comes back as it is."""
    english = _LABELS.get(name)
    if english is None:
        return name
    return catalogue(language()).get(english, english)


def note(warning: str) -> str:
    """An index result's warning (kept in English, naming indicators and units by their
    identifiers) as people read it: in their language, with labels for those names."""
    return localised(warning, names=label)
