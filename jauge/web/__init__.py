"""The web dashboard and the REST API (``jauge serve``)."""

from .app import create_app

__all__ = ["create_app"]
