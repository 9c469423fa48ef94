"""Enrichment: language, sentiment (and, next, mentions and topics) for content items."""
