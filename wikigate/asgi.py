"""ASGI entry point for uvicorn workers: settings from wikigate.toml and the environment."""

from wikigate.app import create_app
from wikigate.config import load_settings
from wikigate.logsetup import configure_logging

settings = load_settings()
# Each worker process imports this module: its log lines take the configured shape too.
configure_logging(settings.log_format, settings.log_level)
app = create_app(settings)
