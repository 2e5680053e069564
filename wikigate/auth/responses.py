"""What an authentication step answers, and what it asks the client for.

An `AuthResponse` is one of six outcomes (MediaWiki's AuthenticationResponse):
PASS (done, with the user), FAIL (stop, with a message), UI (ask the client for
more fields), REDIRECT (send the client elsewhere), RESTART (start over), and
ABSTAIN (a provider has nothing to say). The named constructors enforce what
each outcome must carry, e.g. a UI answer always lists the requests it needs.

An `AuthRequest` describes one group of fields a client may or must submit,
under the id MediaWiki clients know (`MediaWiki\\Auth\\PasswordAuthenticationRequest`).
Requests are plain data: the API shows them, the providers read the submitted
values by field name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from wikigate.messages import Message, Num, RawText
from wikigate.store.users import UserRecord


class AuthStatus(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    UI = "UI"
    REDIRECT = "REDIRECT"
    RESTART = "RESTART"
    ABSTAIN = "ABSTAIN"


class Required(StrEnum):
    OPTIONAL = "optional"
    REQUIRED = "required"
    PRIMARY_REQUIRED = "primary-required"


@dataclass(frozen=True, slots=True)
class Field:
    """One input field: `type` is string, password, checkbox, button, hidden, select or multiselect."""

    name: str
    type: str
    label: Message
    help: Message
    optional: bool = False
    sensitive: bool = False
    value: str | None = None

    def read(self, submission: dict[str, str]) -> str | bool | None:
        """The submitted value, or None when a required field is missing or empty."""
        raw = submission.get(self.name)
        if self.type in ("checkbox", "button"):
            # PHP's empty(): absent, "" and "0" are all unchecked.
            return raw not in (None, "", "0")
        if raw is None or raw == "":
            return "" if self.optional else None
        return raw


@dataclass(frozen=True, slots=True)
class AuthRequest:
    id: str
    fields: tuple[Field, ...]
    required: Required = Required.REQUIRED
    provider: Message | None = None  # None: described by its id, as MediaWiki does by default
    account: Message | None = None

    def describe(self) -> tuple[Message, Message]:
        """The provider and account texts shown with the request."""
        fallback = account_text(self.id)
        return self.provider or fallback, self.account or fallback

    def load(self, submission: dict[str, str]) -> dict[str, str | bool] | None:
        """The values of this request's fields, or None when it was not (fully) submitted."""
        values: dict[str, str | bool] = {}
        for field in self.fields:
            value = field.read(submission)
            if value is None:
                return None
            values[field.name] = value
        return values


def account_text(name: str) -> Message:
    """A user name shown as the `account` of a request, never parsed as markup."""
    # No name is PHP's null, as MediaWiki's raw messages show it.
    return Message("", (RawText(name) if name else None,), fallback="$1")


@dataclass(frozen=True, slots=True)
class AuthResponse:
    status: AuthStatus
    message: Message | None = None
    requests: tuple[AuthRequest, ...] = ()
    username: str | None = None
    user_id: int | None = None
    remember: bool = False
    redirect_target: str | None = None
    # The account a completed login or creation is for, as it stands afterwards.
    account: UserRecord | None = None

    @classmethod
    def passed(cls, username: str | None = None, *, user_id: int | None = None, remember: bool = False,
               account: UserRecord | None = None) -> AuthResponse:
        return cls(AuthStatus.PASS, username=username, user_id=user_id, remember=remember, account=account)

    @classmethod
    def fail(cls, message: Message) -> AuthResponse:
        return cls(AuthStatus.FAIL, message=message)

    @classmethod
    def ui(cls, requests: tuple[AuthRequest, ...] | list[AuthRequest], message: Message) -> AuthResponse:
        if not requests:
            raise ValueError("a UI response must ask for at least one request")
        return cls(AuthStatus.UI, message=message, requests=tuple(requests))

    @classmethod
    def redirect(cls, target: str, requests: tuple[AuthRequest, ...] | list[AuthRequest]) -> AuthResponse:
        if not requests:
            raise ValueError("a REDIRECT response must name the requests that complete it")
        return cls(AuthStatus.REDIRECT, requests=tuple(requests), redirect_target=target)

    @classmethod
    def restart(cls, message: Message, requests: tuple[AuthRequest, ...] = ()) -> AuthResponse:
        return cls(AuthStatus.RESTART, message=message, requests=tuple(requests))

    @classmethod
    def abstain(cls) -> AuthResponse:
        return cls(AuthStatus.ABSTAIN)

    @property
    def is_abstain(self) -> bool:
        return self.status is AuthStatus.ABSTAIN


# Request ids as MediaWiki 1.39 (with OATHAuth) names them; clients match on them.
PASSWORD_REQUEST = "MediaWiki\\Auth\\PasswordAuthenticationRequest"
REMEMBER_ME_REQUEST = "MediaWiki\\Auth\\RememberMeAuthenticationRequest"
USERNAME_REQUEST = "MediaWiki\\Auth\\UsernameAuthenticationRequest"
USER_DATA_REQUEST = "MediaWiki\\Auth\\UserDataAuthenticationRequest"
CREATION_REASON_REQUEST = "MediaWiki\\Auth\\CreationReasonAuthenticationRequest"
TEMPORARY_PASSWORD_REQUEST = "MediaWiki\\Auth\\TemporaryPasswordAuthenticationRequest"
SKIP_RESET_REQUEST = "MediaWiki\\Auth\\ButtonAuthenticationRequest:skipReset"
TOTP_REQUEST = "MediaWiki\\Extension\\OATHAuth\\Auth\\TOTPAuthenticationRequest"


def _msg(key: str) -> Message:
    return Message(key)


USERNAME_FIELD = Field("username", "string", _msg("userlogin-yourname"),
                       _msg("authmanager-username-help"))
PASSWORD_FIELD = Field("password", "password", _msg("userlogin-yourpassword"),
                       _msg("authmanager-password-help"), sensitive=True)


def password_request(*, required: Required = Required.PRIMARY_REQUIRED, account: str = "") -> AuthRequest:
    """Username and password, as login asks for them."""
    return AuthRequest(PASSWORD_REQUEST, (USERNAME_FIELD, PASSWORD_FIELD), required,
                       provider=_msg("authmanager-provider-password"), account=account_text(account))


def create_password_request() -> AuthRequest:
    """Username, password and its retype, as account creation asks for them."""
    retype = Field("retype", "password", _msg("yourpasswordagain"),
                   _msg("authmanager-retype-help"), sensitive=True)
    return AuthRequest(PASSWORD_REQUEST, (USERNAME_FIELD, PASSWORD_FIELD, retype), Required.PRIMARY_REQUIRED,
                       provider=_msg("authmanager-provider-password"), account=account_text(""))


def change_password_request(*, account: str = "", required: Required = Required.PRIMARY_REQUIRED) -> AuthRequest:
    """A new password twice: a password change, or the reset forced at login."""
    fields = (
        Field("password", "password", _msg("newpassword"), _msg("authmanager-password-help"), sensitive=True),
        Field("retype", "password", _msg("retypenew"), _msg("authmanager-retype-help"), sensitive=True),
    )
    return AuthRequest(PASSWORD_REQUEST, fields, required, provider=_msg("authmanager-provider-password"),
                       account=account_text(account))


def remember_me_request(days: int) -> AuthRequest:
    """"Keep me logged in", for `days` (the label's parameter, as MediaWiki's)."""
    field = Field("rememberMe", "checkbox", Message("userlogin-remembermypassword", (Num(days),)),
                  _msg("authmanager-userlogin-remembermypassword-help"), optional=True)
    return AuthRequest(REMEMBER_ME_REQUEST, (field,), Required.OPTIONAL)


def username_request() -> AuthRequest:
    return AuthRequest(USERNAME_REQUEST, (USERNAME_FIELD,), Required.REQUIRED)


def user_data_request() -> AuthRequest:
    fields = (
        Field("email", "string", _msg("authmanager-email-label"), _msg("authmanager-email-help"), optional=True),
        Field("realname", "string", _msg("authmanager-realname-label"), _msg("authmanager-realname-help"),
              optional=True),
    )
    return AuthRequest(USER_DATA_REQUEST, fields, Required.REQUIRED)


def creation_reason_request() -> AuthRequest:
    field = Field("reason", "string", _msg("createacct-reason"), _msg("createacct-reason-help"))
    return AuthRequest(CREATION_REASON_REQUEST, (field,), Required.OPTIONAL)


def temporary_password_request(*, account: str = "") -> AuthRequest:
    field = Field("mailpassword", "checkbox", _msg("createaccountmail"), _msg("createaccountmail-help"))
    return AuthRequest(TEMPORARY_PASSWORD_REQUEST, (field,), Required.PRIMARY_REQUIRED,
                       provider=_msg("authmanager-provider-temporarypassword"), account=account_text(account))


def skip_reset_request() -> AuthRequest:
    field = Field("skipReset", "button", _msg("authprovider-resetpass-skip-label"),
                  _msg("authprovider-resetpass-skip-help"))
    return AuthRequest(SKIP_RESET_REQUEST, (field,), Required.OPTIONAL)


def totp_request(account: str) -> AuthRequest:
    field = Field("OATHToken", "string", _msg("oathauth-auth-token-label"), _msg("oathauth-auth-token-help"))
    return AuthRequest(TOTP_REQUEST, (field,), Required.REQUIRED, provider=_msg("oathauth-describe-provider"),
                       account=account_text(account))
