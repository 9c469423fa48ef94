"""Reports for executives: what the index says about an organisation, in one file to share."""

from .executive import Report, executive_report

__all__ = ["Report", "executive_report"]
