"""Value: from social media to web sessions to sales, and what each campaign returned
(docs/value.md).

Web analytics (``web-analytics-csv``) say which sessions came from social platforms and
what they converted and earned; cost exports (``costs-csv``) say what campaigns spent.
:func:`jauge.value.report.value_report` puts them side by side with the reach of the
organisation's own posts: the funnel per platform, and spend, value and ROI per campaign.
"""

METHOD = "jauge-value/1.0.0"
