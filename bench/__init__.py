"""The national-scale benchmark (QUALITY.md, Performance): see bench/README.md."""
