"""Forms of the commendations area, one module per part (proposals, review, decisions...)."""
