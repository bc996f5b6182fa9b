"""Forms of the pilots area, one module per part."""
