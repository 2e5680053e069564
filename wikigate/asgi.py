"""ASGI entry point for uvicorn workers: settings from wikigate.toml and the environment."""

from wikigate.app import create_app
from wikigate.config import load_settings

app = create_app(load_settings())
