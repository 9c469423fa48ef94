"""Community: the interaction graph of an organisation and the people who matter in it."""
