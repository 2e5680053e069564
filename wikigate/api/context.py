"""Everything one API request carries through the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wikigate.api.errors import ApiMessage
from wikigate.api.request import ApiRequest
from wikigate.config import Settings
from wikigate.services.identity import remember_token, start_login_session
from wikigate.services.login import BotPasswordRecord
from wikigate.services.sessions import Session
from wikigate.services.suite import Services
from wikigate.services.users import User

if TYPE_CHECKING:
    # Only for the annotation: the registry module imports this one.
    from wikigate.api.registry import Registry


@dataclass(slots=True)
class ApiContext:
    services: Services
    registry: Registry
    request: ApiRequest
    session: Session
    user: User
    now: float
    formatversion: int = 1
    errorformat: str = "bc"
    module_path: str = "main"
    warnings: list[tuple[str, ApiMessage]] = field(default_factory=list)
    limits_used: dict[str, int] = field(default_factory=dict)
    cookies: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    # Set when the request must run as anonymous (origin=*, Treat-as-Untrusted).
    login_suppressed: bool = False
    # "public" only when the answer is the same for everyone (see Pipeline._cache_control).
    cache_mode: str = "private"
    # The languages texts are shown in (one of messages.LANGUAGES): the user's (`uselang`),
    # and the one of warnings and errors (`errorlang`).
    uselang: str = "en"
    errorlang: str = "en"
    # An answer that is not a result in the requested format (action=help's page): the body and
    # its media type. Errors still come in the requested format.
    raw: tuple[str, str] | None = None

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def ip(self) -> str:
        return self.request.client_ip

    def has_right(self, right: str) -> bool:
        return self.user.has_right(right)

    def warn(self, module_path: str, message: ApiMessage) -> None:
        self.warnings.append((module_path, message))

    def warn_module(self, message: ApiMessage) -> None:
        self.warnings.append((self.module_path, message))

    def deprecate(self, message: ApiMessage, feature: str) -> None:
        """A warning that the module at work was used in a deprecated way (MediaWiki's addDeprecation).

        Its code is `deprecation` and its data names the feature; the first one of a request
        also brings the main module's pointer to the announcements list.
        """
        self.warn_module(ApiMessage(message.message, "deprecation", {"feature": feature}))
        if not any(item.code == "deprecation-help" for _, item in self.warnings):
            self.warn("main", ApiMessage.of("api-usage-mailinglist-ref", kind="apiwarn", code="deprecation-help"))

    def feature(self, suffix: str) -> str:
        """A feature's name as MediaWiki derives it from the module: `action=query&prop=revisions&<suffix>`."""
        spec = self.registry.by_path(self.module_path)
        module = f"action=query&{spec.group}={spec.name}" if spec and spec.group else f"action={self.module_path}"
        return f"{module}&{suffix}"

    def set_cookie(self, name: str, value: str, **options: Any) -> None:
        self.cookies.append((name, value, options))

    def clear_cookie(self, name: str) -> None:
        self.cookies.append((name, "deleted", {"max_age": 0, "expires_epoch": 1}))

    def log_in(self, user_id: int, user_name: str, user_token: str, *, remember: bool,
               bot: BotPasswordRecord | None = None) -> None:
        """Bind the session to a user under a new id and send the login cookies."""
        settings = self.services.settings
        start_login_session(self.session, user_id, user_token, remember=remember, bot=bot)
        # When the user last proved who they are: security-sensitive changes need a recent login.
        self.session.set("auth_time", self.now)
        if bot is not None:
            # Bot-password sessions live under their own cookie, like MediaWiki's provider.
            self.session.cookie_name = self.services.sessions.bot_cookie_name
            return
        self.session.cookie_name = self.services.sessions.cookie_name
        lifetime = settings.extended_login_cookie_expiration if remember else settings.cookie_expiration
        prefix = settings.cookie_prefix
        self.set_cookie(f"{prefix}UserID", str(user_id), max_age=lifetime)
        self.set_cookie(f"{prefix}UserName", user_name.replace(" ", "_"), max_age=lifetime)
        if remember:
            self.set_cookie(f"{prefix}Token", remember_token(settings.secret_key, user_id, user_token),
                            max_age=lifetime)

    def log_out(self) -> None:
        """End the login: the server-side session is destroyed and its cookies expired.

        A bot-password session only loses its own cookie; the browser-style
        session beside it, if any, is untouched.
        """
        prefix = self.services.settings.cookie_prefix
        is_bot = self.session.cookie_name == self.services.sessions.bot_cookie_name
        names = [self.session.cookie_name]
        if not is_bot:
            names += [prefix + "UserID", prefix + "Token"]
        # Like MediaWiki, expire only the cookies the client actually holds.
        held = self.request.cookies
        for name in names:
            if name in held:
                self.clear_cookie(name)
        self.session.renew()
        self.session.persisted = False
        self.session.set_cookie = False
