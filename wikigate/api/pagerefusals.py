"""What the page modules (edit, protect) share: watchlist values and refusals as API errors."""

from __future__ import annotations

from wikigate.api.blockinfo import blocked_error
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.services.pages import PageError, WatchMode
from wikigate.services.permissions import Denial

# In MediaWiki's order (errors list the choices so); paraminfo sorts them.
WATCHLIST = tuple(WatchMode)


def api_error(error: PageError, lang: str) -> ApiError:
    """Every refusal of a page action as one API error (the first decides the code); a block is
    described in the user's language `lang`."""
    messages = [denial_message(denial, lang) for denial in error.denials]
    return ApiError(messages[0], more=messages[1:])


def denial_message(denial: Denial, lang: str) -> ApiMessage:
    if denial.block is not None:
        return blocked_error(denial.block, lang)
    return ApiMessage.of(denial.key, *denial.params, code=denial.code)
