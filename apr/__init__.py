"""apr: the Annual Performance Report compiler for health and social care partnerships."""
