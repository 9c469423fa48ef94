"""Sources: importers of exports and feeds (and, later, live connectors), in one registry."""
