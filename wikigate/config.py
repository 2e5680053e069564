"""Settings: one frozen dataclass with MediaWiki 1.39's defaults.

Every key can be set in `wikigate.toml` (all keys optional) and overridden by an
environment variable `WIKIGATE_<KEY>` (upper case). Settings keep MediaWiki's
names in snake case, so `$wgGroupPermissions` is `group_permissions`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wikigate.netranges import AddressRanges

# $wgGroupPermissions as MediaWiki 1.39 reports it through siteinfo (OATHAuth enabled).
DEFAULT_GROUP_PERMISSIONS: dict[str, list[str]] = {
    "*": [
        "createaccount", "read", "edit", "createpage", "createtalk", "writeapi",
        "viewmywatchlist", "editmywatchlist", "viewmyprivateinfo", "editmyprivateinfo",
        "editmyoptions",
    ],
    "user": [
        "move", "move-subpages", "move-rootuserpages", "move-categorypages", "movefile",
        "read", "edit", "createpage", "createtalk", "writeapi", "upload", "reupload",
        "reupload-shared", "minoredit", "editmyusercss", "editmyuserjson", "editmyuserjs",
        "editmyuserjsredirect", "purge", "sendemail", "applychangetags", "changetags",
        "editcontentmodel", "oathauth-enable",
    ],
    "autoconfirmed": ["autoconfirmed", "editsemiprotected"],
    "bot": [
        "bot", "autoconfirmed", "editsemiprotected", "nominornewtalk", "autopatrol",
        "suppressredirect", "apihighlimits", "writeapi",
    ],
    "sysop": [
        "block", "createaccount", "delete", "bigdelete", "deletedhistory", "deletedtext",
        "undelete", "editinterface", "editsitejson", "edituserjson", "import",
        "importupload", "move", "move-subpages", "move-rootuserpages",
        "move-categorypages", "patrol", "autopatrol", "protect", "editprotected",
        "rollback", "upload", "reupload", "reupload-shared", "unwatchedpages",
        "autoconfirmed", "editsemiprotected", "ipblock-exempt", "blockemail",
        "markbotedits", "apihighlimits", "browsearchive", "noratelimit", "movefile",
        "unblockself", "suppressredirect", "mergehistory", "managechangetags",
        "deletechangetags", "oathauth-disable-for-user", "oathauth-verify-user",
        "oathauth-view-log",
    ],
    "interface-admin": [
        "editinterface", "editsitecss", "editsitejson", "editsitejs", "editusercss",
        "edituserjson", "edituserjs",
    ],
    "bureaucrat": ["userrights", "noratelimit"],
    "suppress": [
        "hideuser", "suppressrevision", "viewsuppressed", "suppressionlog",
        "deleterevision", "deletelogentry",
    ],
    # CentralAuth's account locks, name hiding and account deletion (its extension.json gives them so).
    "steward": ["centralauth-lock", "centralauth-suppress", "centralauth-unmerge"],
}

# $wgAddGroups / $wgRemoveGroups: 1.39 lets nobody but holders of `userrights` change groups.
DEFAULT_ADD_GROUPS: dict[str, list[str]] = {}
DEFAULT_REMOVE_GROUPS: dict[str, list[str]] = {}

# $wgImplicitGroups: groups a user is in by rule, never stored.
IMPLICIT_GROUPS = ("*", "user", "autoconfirmed")

# $wgRateLimits of 1.39 (with OATHAuth's `badoath`): action -> category -> [hits, seconds].
# `&can-bypass: 0` means even `noratelimit` does not lift the limit.
DEFAULT_RATE_LIMITS: dict[str, dict[str, list[int]]] = {
    "edit": {"ip": [8, 60], "newbie": [8, 60], "user": [90, 60]},
    "move": {"newbie": [2, 120], "user": [8, 60]},
    "upload": {"ip": [8, 60], "newbie": [8, 60]},
    "rollback": {"user": [10, 60], "newbie": [5, 120]},
    "mailpassword": {"ip": [5, 3600]},
    "emailuser": {"ip": [5, 86400], "newbie": [5, 86400], "user": [20, 86400]},
    "changeemail": {"ip-all": [10, 3600], "user": [4, 86400]},
    "confirmemail": {"ip-all": [10, 3600], "user": [4, 86400]},
    "purge": {"ip": [30, 60], "user": [30, 60]},
    "linkpurge": {"ip": [30, 60], "user": [30, 60]},
    "renderfile": {"ip": [700, 30], "user": [700, 30]},
    "renderfile-nonstandard": {"ip": [70, 30], "user": [70, 30]},
    "stashedit": {"ip": [30, 60], "newbie": [30, 60]},
    "stashbasehtml": {"ip": [5, 60], "newbie": [5, 60]},
    "changetag": {"ip": [8, 60], "newbie": [8, 60]},
    "editcontentmodel": {"newbie": [2, 120], "user": [8, 60]},
    "badoath": {"&can-bypass": [0, 0], "user": [10, 60]},
}

# $wgGrantPermissions of MediaWiki 1.39 core plus OATHAuth's `oath` grant, for bot passwords.
# `basic` is implied by every bot password; there is no grant for `userrights`.
_EDIT = ["edit", "minoredit", "applychangetags", "changetags", "editcontentmodel"]
DEFAULT_GRANT_PERMISSIONS: dict[str, list[str]] = {
    "basic": [
        "autocreateaccount", "autoconfirmed", "autopatrol", "editsemiprotected",
        "ipblock-exempt", "nominornewtalk", "patrolmarks", "purge", "read", "writeapi",
        "unwatchedpages",
    ],
    "highvolume": ["bot", "apihighlimits", "noratelimit", "markbotedits"],
    "import": ["import", "importupload"],
    "editpage": [*_EDIT],
    "editprotected": [*_EDIT, "editprotected"],
    "editmycssjs": [*_EDIT, "editmyusercss", "editmyuserjson", "editmyuserjs"],
    "editmyoptions": ["editmyoptions", "editmyuserjson"],
    "editinterface": [*_EDIT, "editinterface", "edituserjson", "editsitejson"],
    "editsiteconfig": [
        *_EDIT, "editinterface", "edituserjson", "editsitejson", "editusercss", "edituserjs",
        "editsitecss", "editsitejs",
    ],
    "createeditmovepage": [
        *_EDIT, "createpage", "createtalk", "delete-redirect", "move", "move-rootuserpages",
        "move-subpages", "move-categorypages", "suppressredirect",
    ],
    "uploadfile": ["upload", "reupload-own"],
    "uploadeditmovefile": [
        "upload", "reupload-own", "reupload", "reupload-shared", "upload_by_url", "movefile",
        "suppressredirect",
    ],
    "patrol": ["patrol"],
    "rollback": ["rollback"],
    "blockusers": ["block", "blockemail"],
    "viewdeleted": ["browsearchive", "deletedhistory", "deletedtext"],
    "viewrestrictedlogs": ["suppressionlog"],
    "delete": [
        *_EDIT, "browsearchive", "deletedhistory", "deletedtext", "delete", "bigdelete",
        "deletelogentry", "deleterevision", "undelete",
    ],
    "oversight": ["suppressrevision", "viewsuppressed"],
    "protect": [*_EDIT, "editprotected", "protect"],
    "viewmywatchlist": ["viewmywatchlist"],
    "editmywatchlist": ["editmywatchlist"],
    "sendemail": ["sendemail"],
    "createaccount": ["createaccount"],
    "privateinfo": ["viewmyprivateinfo"],
    "mergehistory": ["mergehistory"],
    "oath": ["oathauth-api-all", "oathauth-verify-user"],
}


# $wgDefaultUserOptions of 1.39 as its API reports them (userinfo's options, siteinfo's
# defaultoptions), in its order; search-match-redirect is the one true boolean among them.
DEFAULT_USER_OPTIONS: dict[str, Any] = {
    "ccmeonemails": 0, "date": "default", "diffonly": 0, "disablemail": 0, "editfont": "monospace",
    "editondblclick": 0, "editsectiononrightclick": 0, "email-allow-new-users": 1, "enotifminoredits": 0,
    "enotifrevealaddr": 0, "enotifusertalkpages": 1, "enotifwatchlistpages": 1, "extendwatchlist": 1,
    "fancysig": 0, "forceeditsummary": 0, "gender": "unknown", "hideminor": 0, "hidepatrolled": 0,
    "hidecategorization": 1, "imagesize": 2, "minordefault": 0, "newpageshidepatrolled": 0, "nickname": "",
    "pst-cssjs": 1, "norollbackdiff": 0, "previewonfirst": 0, "previewontop": 1, "rcdays": 7,
    "rcenhancedfilters-disable": 0, "rclimit": 50, "search-match-redirect": True, "search-special-page": "Search",
    "searchlimit": 20, "showhiddencats": 0, "shownumberswatching": 1, "showrollbackconfirmation": 0,
    "skin": "vector", "thumbsize": 5, "underline": 2, "uselivepreview": 0, "usenewrc": 1, "watchcreations": 1,
    "watchdefault": 1, "watchdeletion": 0, "watchuploads": 1, "watchlistdays": 7, "watchlisthideanons": 0,
    "watchlisthidebots": 0, "watchlisthideliu": 0, "watchlisthideminor": 0, "watchlisthideown": 0,
    "watchlisthidepatrolled": 0, "watchlisthidecategorization": 1, "watchlistreloadautomatically": 0,
    "watchlistunwatchlinks": 0, "watchmoves": 0, "watchrollback": 0, "wlenhancedfilters-disable": 0,
    "wllimit": 250, "useeditwarning": 1, "prefershttps": 1, "requireemail": 0, "skin-responsive": 1,
    "timecorrection": "System|0", "language": "en", "variant": "en", "variant-ban": "ban", "variant-en": "en",
    "variant-crh": "crh", "variant-gan": "gan", "variant-iu": "iu", "variant-kk": "kk", "variant-ku": "ku",
    "variant-shi": "shi", "variant-sr": "sr", "variant-tg": "tg", "variant-uz": "uz", "variant-zh": "zh",
    "searchNs0": 1, "searchNs1": 0, "searchNs2": 0, "searchNs3": 0, "searchNs4": 0, "searchNs5": 0, "searchNs6": 0,
    "searchNs7": 0, "searchNs8": 0, "searchNs9": 0, "searchNs10": 0, "searchNs11": 0, "searchNs12": 0,
    "searchNs13": 0, "searchNs14": 0, "searchNs15": 0,
}
DEFAULT_USER_OPTIONS_BOOLEANS = ["search-match-redirect"]


@dataclass(frozen=True, slots=True)
class Settings:
    # Where and how to serve.
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: SQLite file in data_dir
    redis_url: str = ""  # empty: sessions and throttles in the database
    redis_prefix: str = "wikigate:"
    server: str = ""  # public base URL; empty: http://host:port
    script_path: str = "/w"
    sitename: str = "Wikigate"
    secret_key: str = ""  # empty: generated once and kept in data_dir
    admin_password: str = ""
    max_body_bytes: int = 16 * 1024 * 1024

    # Mail.
    enable_email: bool = True
    smtp_host: str = ""  # empty: write .eml files to data_dir/outbox
    smtp_port: int = 25
    smtp_tls: str = "none"  # none | starttls | tls
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 10.0
    password_sender: str = "wiki@localhost"

    # Sessions and cookies ($wgCookie*, $wgObjectCacheSessionExpiry).
    cookie_prefix: str = "wikigate"
    cookie_secure: str = "detect"  # detect | always | never
    cookie_samesite: str = ""  # MediaWiki sends none by default
    session_expiry: int = 3600
    cookie_expiration: int = 30 * 86400
    extended_login_cookie_expiration: int = 180 * 86400
    cors_allowed_origins: tuple[str, ...] = ()  # $wgCrossSiteAJAXdomains
    # How long a stopping server lets requests in flight and queued mail finish.
    shutdown_timeout: float = 20.0
    # How long a write may wait for its turn before the request answers an internal error.
    write_timeout: float = 10.0
    # $wgReadOnly: with a reason given, every write answers `readonly` (a maintenance window).
    read_only: str = ""
    # How long a connection may take to send its headers, then its body, how long an idle
    # kept-alive connection stays open, and how many connections and requests a worker holds.
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 1000
    # Log lines as `text` or `json`, from this level up; `access_log` adds one line per API request.
    log_format: str = "text"
    log_level: str = "info"
    access_log: bool = True
    # Reverse proxies (addresses or CIDR ranges, $wgCdnServers) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed: the client is the right-most address none of them has.
    trusted_proxies: tuple[str, ...] = ()
    # Who may read /metrics (addresses or CIDR ranges, the client as seen through trusted_proxies);
    # empty: nobody, and /metrics is not found.
    metrics_allow: tuple[str, ...] = ("127.0.0.0/8", "::1/128")

    # Users, groups and rights.
    group_permissions: Mapping[str, list[str]] = field(default_factory=lambda: DEFAULT_GROUP_PERMISSIONS)
    revoke_permissions: Mapping[str, list[str]] = field(default_factory=dict)
    add_groups: Mapping[str, list[str]] = field(default_factory=lambda: DEFAULT_ADD_GROUPS)
    remove_groups: Mapping[str, list[str]] = field(default_factory=lambda: DEFAULT_REMOVE_GROUPS)
    groups_add_to_self: Mapping[str, list[str]] = field(default_factory=dict)
    groups_remove_from_self: Mapping[str, list[str]] = field(default_factory=dict)
    autoconfirm_age: int = 0
    autoconfirm_count: int = 0
    invalid_username_characters: str = "@:>"
    rate_limits: Mapping[str, Mapping[str, list[int]]] = field(default_factory=lambda: DEFAULT_RATE_LIMITS)
    grant_permissions: Mapping[str, list[str]] = field(default_factory=lambda: DEFAULT_GRANT_PERMISSIONS)

    # Protection.
    restriction_types: tuple[str, ...] = ("create", "edit", "move", "upload")
    restriction_levels: tuple[str, ...] = ("", "autoconfirmed", "sysop")
    cascading_restriction_levels: tuple[str, ...] = ("sysop",)
    semiprotected_restriction_levels: tuple[str, ...] = ("autoconfirmed",)

    # Passwords and authentication.
    password_default: str = "pbkdf2"
    pbkdf2_cost: int = 30000
    password_policy: Mapping[str, Any] | None = None  # None: MediaWiki 1.39's $wgPasswordPolicy
    password_attempt_throttle: tuple[Mapping[str, int], ...] = (
        {"count": 5, "seconds": 300},
        {"count": 150, "seconds": 172800},
    )
    account_creation_throttle: tuple[Mapping[str, int], ...] = ({"count": 0, "seconds": 86400},)
    password_reset_routes: Mapping[str, bool] = field(default_factory=lambda: {"username": True, "email": True})
    new_password_expiry: int = 7 * 86400
    password_reminder_resend_time: int = 24  # hours
    reauthenticate_time: int = 3600  # $wgReauthenticateTime: seconds a login counts as recent
    enable_bot_passwords: bool = True
    # $wgBlockDisablesLogin: a blocked account cannot log in, and placing the block ends its sessions.
    block_disables_login: bool = False
    # A server for client libraries' tests: /testing/ moves its clock and makes requests fail on
    # demand (maxlag, readonly, lost sessions, …). Never for a wiki people use: anyone who reaches
    # the server could use it.
    testing: bool = False
    # $wgOAuth2PrivateKey: the PEM file of the RSA key OAuth 2 access tokens are signed with; empty:
    # one generated once and kept in data_dir. Every process and machine of the wiki needs the same.
    oauth2_private_key: str = ""

    @property
    def public_server(self) -> str:
        return self.server.rstrip("/") or f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.public_server}{self.script_path}/api.php"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "wikigate.sqlite"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def wiki_id(self) -> str:
        return self.cookie_prefix


def _coerce(kind: Any, raw: str) -> Any:
    """Turn an environment variable's text into the field's type."""
    text = str(kind)
    if kind is bool or text == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if kind is int or text == "int":
        return int(raw)
    if kind is float or text == "float":
        return float(raw)
    if kind is Path or text == "Path":
        return Path(raw)
    if text.startswith("tuple[str"):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if text.startswith(("Mapping", "tuple[Mapping", "dict")):
        return json.loads(raw)  # structured settings come as JSON in the environment
    return raw


def load_settings(
    path: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Read `wikigate.toml` (if present), then `WIKIGATE_*` variables, then overrides."""
    env = os.environ if env is None else env
    explicit = path or env.get("WIKIGATE_CONFIG")
    path = Path(explicit or "wikigate.toml")
    values: dict[str, Any] = {}
    if explicit and not path.is_file():
        # A named file that is not there is a mistake, not a wish for a fresh wiki.
        raise ValueError(f"the configuration file {path} does not exist")
    if path.is_file():
        try:
            with path.open("rb") as handle:
                values.update(tomllib.load(handle))
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: {error}") from None
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
    for name, spec in fields.items():
        variable = f"WIKIGATE_{name.upper()}"
        raw = env.get(variable)
        if raw is not None:
            try:
                values[name] = _coerce(spec.type, raw)
            except ValueError as error:
                raise ValueError(f"{variable}: {raw!r} is not a valid {name} ({error})") from None
    values.update(overrides)
    for name, value in list(values.items()):
        if name == "data_dir":
            values[name] = Path(value)
        elif isinstance(value, list) and str(fields[name].type).startswith("tuple"):
            values[name] = tuple(value)
        _check_type(name, fields[name].type, values[name], path)
        allowed = CHOICES.get(name)
        if allowed and values[name] not in allowed:
            raise ValueError(f"{name} (in {path} or WIKIGATE_{name.upper()}): {values[name]!r} is not one of "
                             f"{', '.join(allowed)}")
        if name in ADDRESS_RANGES:
            AddressRanges(values[name], setting=f"{name} (in {path} or WIKIGATE_{name.upper()})")
    return Settings(**values)


# Settings that take one of a few words.
CHOICES: dict[str, tuple[str, ...]] = {
    "cookie_secure": ("detect", "always", "never"),
    "log_format": ("text", "json"),
    "log_level": ("debug", "info", "warning", "error"),
}

# Settings that list IP addresses and CIDR ranges.
ADDRESS_RANGES = ("trusted_proxies", "metrics_allow")


def _check_type(name: str, kind: Any, value: Any, path: Path) -> None:
    """A setting of the wrong type is named with where it came from, at start, not at first use."""
    text = str(kind)
    expected: tuple[type, ...] | None = {
        "bool": (bool,), "int": (int,), "float": (int, float), "str": (str,), "Path": (Path, str)}.get(text)
    if text.startswith("tuple"):
        expected = (tuple, list)
    elif text.startswith(("Mapping", "dict")):
        expected = (dict,)
    if expected is None:
        return
    # bool is an int to Python; a number where a switch is wanted (or the reverse) is still wrong.
    wrong_bool = isinstance(value, bool) != (bool in expected)
    if not isinstance(value, expected) or wrong_bool:
        raise ValueError(f"{name} (in {path} or WIKIGATE_{name.upper()}): {value!r} is not a {text}")
