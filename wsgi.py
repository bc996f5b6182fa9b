"""Entry point for gunicorn and the flask command: ``gunicorn wsgi:app``."""

from app import create_app

app = create_app()
