"""Forms of the contest area, one module per part of it (setup, parts, entries, scoring...);
the fields they share are in ``fields``."""
