"""What the page modules (edit, protect) share: watchlist values and refusals as API errors."""

from __future__ import annotations

from wikigate.api.errors import ApiError, ApiMessage
from wikigate.services.pages import PageError, WatchMode

# In MediaWiki's order (errors list the choices so); paraminfo sorts them.
WATCHLIST = tuple(WatchMode)


def api_error(error: PageError) -> ApiError:
    """Every refusal of a page action as one API error (the first decides the code)."""
    messages = [ApiMessage.of(d.key, *d.params, code=d.code) for d in error.denials]
    return ApiError(messages[0], more=messages[1:])
