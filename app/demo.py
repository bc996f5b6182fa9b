"""``flask demo``: the demo data of DOMAIN.md §2, into an empty database only."""

import click


@click.command("demo")
def demo_command():
    """Load the demo data."""
