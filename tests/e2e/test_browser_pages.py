"""People using the pages in a real browser: Debian's chromium, driven by Playwright.

The server is a test server started by the project's own pytest plugin, its
mail going to a real SMTP server in this process. Each page a test passes
through is photographed into build/screenshots/, and axe-core (from npm)
checks the pages for accessibility problems.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from e2e_support import REPO
from playwright.sync_api import Browser, BrowserType, Page, Playwright, expect, sync_playwright

from tests.helpers import Inbox, running_smtp
from wikigate.testing import WikigateServer

pytestmark = pytest.mark.e2e

SCREENSHOTS = REPO / "build" / "screenshots"


@dataclass
class Site:
    server: WikigateServer
    inbox: Inbox

    def page_url(self, title: str, **query: str) -> str:
        url = f"{self.server.index_url}/{title.replace(' ', '_')}"
        return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")

    def mail_to(self, address: str, *, within: float = 10) -> EmailMessage:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = self.inbox.to(address)
            if found:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"no mail reached {address} within {within} s")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], chromium: str) -> dict[str, Any]:
    # Chromium's sandbox needs user namespaces, which a root CI run does not have.
    return {**browser_type_launch_args, "executable_path": chromium,
            "args": ["--no-sandbox"] if os.geteuid() == 0 else []}


# pytest-playwright keeps Playwright, and the event loop its synchronous API runs in this thread,
# for the whole session: every later test that calls asyncio.run() would find a loop running.
# Here they live as long as this module; its `context` and `page` fixtures are used as they are.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return getattr(playwright, browser_name)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args: dict[str, Any], browser_type: BrowserType) -> Callable[..., Browser]:
    def launch(**options: Any) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **options})

    return launch


@pytest.fixture(scope="module")
def browser_context_args() -> dict[str, Any]:
    return {}  # pytest-playwright's reads its device list from the session's Playwright


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    running = launch_browser()
    yield running
    running.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_smtp() as inbox:
        config = tmp_path_factory.mktemp("browser") / "wikigate.toml"
        config.write_text(f'smtp_host = "{inbox.host}"\nsmtp_port = {inbox.port}\nsmtp_tls = "none"\n'
                          "pbkdf2_cost = 1000\n")
        server = WikigateServer.start(config=str(config))
        try:
            yield Site(server, inbox)
        finally:
            server.stop()


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_person_resets_a_forgotten_password_from_the_mail_and_logs_in(site: Site, page: Page) -> None:
    site.server.seed({"users": [{"name": "Forgetful", "password": "Forgotten-long-ago-1",
                                 "email": "forgetful@example.org"}]})
    page.goto(site.page_url("Special:UserLogin"))
    snap(page, "login")
    page.get_by_role("link", name="Reset password").click()
    snap(page, "password-reset")
    page.get_by_label("User name:").fill("Forgetful")
    page.get_by_role("button", name="Send me a new password").click()
    expect(page.get_by_role("status")).to_contain_text("a mail with a temporary password is on its way")
    snap(page, "password-reset-sent")

    body = site.mail_to("forgetful@example.org").get_content()
    temporary = re.search(r"Temporary password: (\S+)", body)
    login_url = re.search(r"(http://\S+/Special:UserLogin)", body)
    assert temporary and login_url, body
    page.goto(login_url.group(1))
    page.get_by_label("Username").fill("Forgetful")
    page.get_by_label("Password", exact=True).fill(temporary.group(1))
    page.get_by_role("button", name="Log in").click()
    snap(page, "login-new-password")
    page.get_by_label("New password:", exact=True).fill("Remembered-now-2")
    page.get_by_label("Retype new password:").fill("Remembered-now-2")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Logged in as Forgetful")).to_be_visible()
    snap(page, "logged-in")


def test_the_pages_have_no_serious_accessibility_problems(site: Site, browser: Browser, node_modules: Path) -> None:
    site.server.seed({"users": [{"name": "Checker", "password": "Checker-password-1", "groups": ["sysop"]}],
                      "pages": [{"title": "Checked page", "text": "Some text.", "by": "Checker"}]})
    # axe is a script: the pages' own policy rightly forbids injecting it, so this context waives it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    axe = node_modules / "axe-core" / "axe.min.js"
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        page.add_script_tag(path=str(axe))
        found = page.evaluate("async () => (await axe.run()).violations.map(v => [v.impact, v.id])")
        serious = [rule for impact, rule in found if impact in ("serious", "critical")]
        if serious:
            problems[name] = serious

    for title in ("Special:UserLogin", "Special:CreateAccount", "Special:PasswordReset", "Main Page",
                  "Checked page"):
        page.goto(site.page_url(title))
        check(title)
    page.goto(site.page_url("Checked page", action="history"))
    check("history")
    page.goto(site.page_url("Special:UserLogin"))
    page.get_by_label("Username").fill("Checker")
    page.get_by_label("Password", exact=True).fill("Checker-password-1")
    page.get_by_role("button", name="Log in").click()
    for title in ("Special:UserLogout", "Special:ChangePassword", "Special:OATHManage", "Special:BotPasswords",
                  "Special:BotPasswords/checker", "Special:Log", "Special:ProtectedPages", "Special:BlockList",
                  "Special:Block"):
        page.goto(site.page_url(title))
        check(title)
    page.goto(site.page_url("Checked page", action="protect"))  # the form itself, for a sysop
    check("protect")
    context.close()
    assert problems == {}


def log_in(site: Site, page: Page, name: str, password: str) -> None:
    page.goto(site.page_url("Special:UserLogin"))
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_person_enrols_two_factor_from_the_secret_beside_the_qr_code_and_logs_in_with_a_code(
        site: Site, page: Page) -> None:
    site.server.seed({"users": [{"name": "Careful", "password": "Careful-password-1"}]})
    log_in(site, page, "Careful", "Careful-password-1")
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("img", name="QR code holding the secret below")).to_be_visible()
    snap(page, "oath-enrol")
    secret = page.locator("#oath-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your app:").fill(site.server.totp(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("status")).to_contain_text("Two-factor authentication is now on")
    assert page.locator("#recovery-codes li").count() == 10
    snap(page, "oath-recovery-codes")

    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Log out").click()
    site.server.advance_clock(30)  # the code that turned it on is spent: the next one logs in
    log_in(site, page, "Careful", "Careful-password-1")
    snap(page, "login-two-factor")
    page.get_by_label(re.compile("code", re.IGNORECASE)).fill(site.server.totp(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Logged in as Careful")).to_be_visible()


def test_a_bot_password_made_on_the_page_logs_mwclient_in(site: Site, page: Page) -> None:
    import mwclient

    site.server.seed({"users": [{"name": "Operator", "password": "Operator-password-1"}]})
    log_in(site, page, "Operator", "Operator-password-1")
    page.get_by_role("link", name="Bot passwords").click()
    snap(page, "botpasswords")
    page.get_by_label("Bot name:").fill("mwclient")
    page.get_by_role("button", name="Create").click()
    page.get_by_label("editpage", exact=True).check()
    page.get_by_label("createeditmovepage", exact=True).check()
    snap(page, "botpasswords-new")
    page.get_by_role("button", name="Create").click()
    password = page.locator("#bot-password").inner_text()
    snap(page, "botpasswords-created")

    where = site.server.api_url.split("/")
    bot = mwclient.Site(where[2], path="/w/", scheme="http")
    bot.login("Operator@mwclient", password)
    bot.pages["Saved by a bot"].edit("Saved through a bot password made on the page.", summary="mwclient")
    revision = next(iter(bot.pages["Saved by a bot"].revisions(prop="user")))
    assert revision["user"] == "Operator"


def test_a_sysop_protects_a_page_through_the_form_and_finds_it_in_the_log(site: Site, page: Page) -> None:
    site.server.seed({"users": [{"name": "Guardian", "password": "Guardian-password-1", "groups": ["sysop"]}],
                      "pages": [{"title": "Often vandalised", "text": "Please be kind.", "by": "Guardian"}]})
    log_in(site, page, "Guardian", "Guardian-password-1")
    page.goto(site.page_url("Often vandalised"))
    page.get_by_role("link", name="Protect").click()
    snap(page, "protect-form")
    page.get_by_role("group", name="Edit").get_by_label("Who may do it:").select_option("autoconfirmed")
    page.get_by_role("group", name="Edit").get_by_label("Expires:").fill("1 week")
    page.get_by_label("Reason:").fill("Too many drive-by edits")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("only users who may autoconfirmed can do this")).to_be_visible()
    snap(page, "protected-page")
    page.goto(site.page_url("Special:Log", type="protect"))
    expect(page.locator("#log")).to_contain_text("Too many drive-by edits")
    expect(page.locator("#log")).to_contain_text("Often vandalised")
    snap(page, "log")


def test_a_blocked_user_sees_why(site: Site, page: Page) -> None:
    site.server.seed({"users": [{"name": "Enforcer", "password": "Enforcer-password-1", "groups": ["sysop"]},
                                {"name": "Troublemaker", "password": "Troublemaker-password-1"}]})
    log_in(site, page, "Enforcer", "Enforcer-password-1")
    page.goto(site.page_url("Special:Block"))
    page.get_by_label("User name, address or range:").fill("Troublemaker")
    page.get_by_label("Expires:").fill("3 days")
    page.get_by_label("Reason:").fill("Edit warring on several pages")
    snap(page, "block-form")
    page.get_by_role("button", name="Block", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Troublemaker is blocked until")
    page.goto(site.page_url("Special:BlockList"))
    expect(page.locator("#blocks")).to_contain_text("Edit warring on several pages")
    snap(page, "blocklist")

    page.context.clear_cookies()
    log_in(site, page, "Troublemaker", "Troublemaker-password-1")
    page.goto(site.page_url("Main Page"))
    notice = page.get_by_role("status").filter(has_text="blocked")
    expect(notice).to_contain_text("Edit warring on several pages")
    expect(notice).to_contain_text("Enforcer")
    snap(page, "blocked-user")


def test_the_pages_fit_a_phone_without_sideways_scrolling(site: Site, browser: Browser) -> None:
    site.server.seed({"users": [{"name": "Pocket", "password": "Pocket-password-1", "groups": ["sysop"]}],
                      "pages": [{"title": "Long lines", "by": "Pocket",
                                 "text": "A line far longer than any phone is wide, " * 20}]})
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    too_wide: list[str] = []
    log_in(site, page, "Pocket", "Pocket-password-1")
    for title, query in (("Special:UserLogin", {}), ("Special:PasswordReset", {}), ("Long lines", {}),
                         ("Long lines", {"action": "protect"}), ("Special:OATHManage", {}),
                         ("Special:BotPasswords", {}), ("Special:Log", {}), ("Special:Block", {})):
        page.goto(site.page_url(title, **query))
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            too_wide.append(title)
        snap(page, "phone-" + title.replace(":", "-").replace(" ", "_") + ("-" + "-".join(query.values()) if query else ""))
    context.close()
    assert too_wide == []
