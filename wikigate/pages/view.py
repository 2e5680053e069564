"""Ordinary titles in a browser: the current text as it is stored (rendering wikitext is not a goal of
this server), the page's protection, and its history. The main page links to what a visitor can do."""

from __future__ import annotations

from starlette.responses import Response

from wikigate.api.blockinfo import block_message
from wikigate.pages import moderation
from wikigate.pages.base import Page
from wikigate.services.permissions import PageState
from wikigate.timeutil import format_expiry, to_iso

HISTORY_LIMIT = 50


async def _state(page: Page) -> PageState | None:
    info = await page.services.queries.page_info(page.ctx.user.id, [page.title], now=page.ctx.now, states=True,
                                                 watched=False, related=False)
    return info.states.get(page.title)


def _protections(state: PageState | None) -> list[tuple[str, str, str]]:
    """(action, level, expiry) of each protection in force, for the notice above the text."""
    if state is None:
        return []
    found = [(r.type, r.level, format_expiry(r.expiry)) for r in state.restrictions if r.level]
    title_protection = state.title_protection
    if not state.exists and title_protection is not None:
        found.append(("create", title_protection.level, format_expiry(title_protection.expiry)))
    return found


async def view(page: Page) -> Response:
    if page.query("action") == "protect":
        return await moderation.protect(page)
    state = await _state(page)
    revision = await page.services.pages.latest_revision(page.title) if state is not None and state.exists else None
    ctx = page.ctx
    block = await page.services.blocks.active(ctx.user, ctx.now)
    if block is not None and block.stops(ctx.user, page.title, state.page.id if state and state.page else 0):
        # Why this reader may not change the page: the block, as MediaWiki explains it on edit.
        page.notices.append(page.message(block_message(block, ctx.uselang)))
    heading = page.title.prefixed_text
    if page.query("action") == "history":
        return await history(page, state)
    return await page.show("view.html", heading=heading, revision=revision, protections=_protections(state),
                           is_main=page.title.prefixed_text == "Main Page", status=200 if revision else 404,
                           timestamp=to_iso(revision.timestamp) if revision else "")


async def history(page: Page, state: PageState | None) -> Response:
    rows = []
    if state is not None and state.page is not None:
        revisions = await page.services.queries.history(state.page.id, newest_first=True,
                                                        limit=HISTORY_LIMIT, start_id=None, start=None, end=None)
        rows = [(to_iso(r.timestamp), r.user_text, r.len, r.comment, r.minor) for r in revisions]
    return await page.show("history.html", heading=page.text("wikigate-page-history", page.title.prefixed_text),
                           rows=rows, status=200 if rows else 404)
