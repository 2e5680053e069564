"""The database schema, one SQLAlchemy table per MediaWiki table we need.

Names follow MediaWiki's tables without their column prefixes. Times are Unix
seconds (floats): every comparison is numeric and no time zone can creep in.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

user = Table(
    "user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("real_name", String(255), nullable=False, default=""),
    Column("password", Text, nullable=False, default=""),
    # A temporary password from a reset mail, valid until newpass_time + expiry.
    Column("newpassword", Text, nullable=False, default=""),
    Column("newpass_time", Float, nullable=True),
    Column("email", String(255), nullable=False, default=""),
    Column("email_authenticated", Float, nullable=True),
    # Secret behind the remember-me cookie; changing it logs out every device.
    Column("token", String(64), nullable=False, default=""),
    Column("registration", Float, nullable=True),
    Column("editcount", Integer, nullable=False, default=0),
    Column("touched", Float, nullable=False, default=0),
    # CentralAuth's account lock, and how far the name is hidden (0 not, 1 from lists, 2 suppressed).
    Column("locked", Boolean, nullable=False, server_default=false()),
    Column("hidden_level", Integer, nullable=False, server_default="0"),
)
Index("ix_user_email", user.c.email)

user_groups = Table(
    "user_groups",
    metadata,
    Column("user_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("group", String(255), primary_key=True),
    Column("expiry", Float, nullable=True),  # NULL: never expires
)

bot_passwords = Table(
    "bot_passwords",
    metadata,
    Column("user_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("app_id", String(32), primary_key=True),
    Column("password", Text, nullable=False),
    Column("grants", JSON, nullable=False),
    # IP ranges (CIDR) from which the bot password may log in.
    Column("restrictions", JSON, nullable=False),
    Column("created", Float, nullable=False),
)

oath_users = Table(
    "oath_users",
    metadata,
    Column("user_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("secret", String(128), nullable=False),
    Column("recovery_codes", JSON, nullable=False),  # hashes of unused codes
    Column("last_step", Integer, nullable=True),  # newest accepted TOTP step: no replays
)

page = Table(
    "page",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("namespace", Integer, nullable=False),
    Column("title", String(255), nullable=False),
    Column("latest", Integer, nullable=False, default=0),
    Column("len", Integer, nullable=False, default=0),
    Column("touched", Float, nullable=False),
    Column("is_new", Boolean, nullable=False, default=True),
    Column("is_redirect", Boolean, nullable=False, default=False, server_default=false()),
    UniqueConstraint("namespace", "title"),
    # Ids of deleted pages and revisions are never handed out again (undeletion gives them back).
    sqlite_autoincrement=True,
)

revision = Table(
    "revision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("page_id", Integer, ForeignKey("page.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("parent_id", Integer, nullable=True),
    Column("text", Text, nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("user_id", Integer, nullable=False, default=0),
    Column("user_text", String(255), nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("minor", Boolean, nullable=False, default=False),
    Column("len", Integer, nullable=False),
    Column("sha1", String(40), nullable=False),
    sqlite_autoincrement=True,
)

# Revisions of deleted pages, under the title they had, until an undeletion restores them.
archive = Table(
    "archive",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("namespace", Integer, nullable=False),
    Column("title", String(255), nullable=False),
    Column("rev_id", Integer, nullable=False, unique=True),
    Column("page_id", Integer, nullable=False),
    Column("parent_id", Integer, nullable=True),
    Column("text", Text, nullable=False),
    Column("comment", Text, nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("user_text", String(255), nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("minor", Boolean, nullable=False),
    Column("len", Integer, nullable=False),
    Column("sha1", String(40), nullable=False),
)
Index("ix_archive_title_time", archive.c.namespace, archive.c.title, archive.c.timestamp)

# Preferences a user changed from their defaults (MediaWiki's user_properties).
user_properties = Table(
    "user_properties",
    metadata,
    Column("user_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("property", String(255), primary_key=True),
    Column("value", Text, nullable=False),
)

# Who has a message on their talk page they have not seen (MediaWiki's user_newtalk):
# an account by id, or an anonymous user by IP address (id 0).
user_newtalk = Table(
    "user_newtalk",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("user_ip", String(255), primary_key=True),
    Column("timestamp", Float, nullable=False),
)

# Recent edits and log actions (MediaWiki's recentchanges), as the change lists and patrolling need them.
recentchanges = Table(
    "recentchanges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("timestamp", Float, nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("user_text", String(255), nullable=False),
    Column("namespace", Integer, nullable=False),
    Column("title", String(255), nullable=False),
    Column("comment", Text, nullable=False),
    Column("minor", Boolean, nullable=False),
    Column("bot", Boolean, nullable=False),
    Column("type", Integer, nullable=False),  # 0 edit, 1 new page, 3 log action
    Column("page_id", Integer, nullable=False),
    Column("this_oldid", Integer, nullable=False),
    Column("last_oldid", Integer, nullable=False),
    Column("patrolled", Integer, nullable=False),  # 0 not yet, 1 patrolled, 2 autopatrolled
    Column("old_len", Integer, nullable=True),
    Column("new_len", Integer, nullable=True),
    Column("log_id", Integer, nullable=False),
    Column("log_type", String(32), nullable=True),
    Column("log_action", String(32), nullable=True),
    # Where the change came from ($wgPutIPinRC): what an autoblock of its author blocks.
    Column("ip", String(64), nullable=False, server_default=""),
)
Index("ix_recentchanges_time", recentchanges.c.timestamp)
Index("ix_recentchanges_this_oldid", recentchanges.c.this_oldid)

page_restrictions = Table(
    "page_restrictions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("page_id", Integer, ForeignKey("page.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(60), nullable=False),
    Column("level", String(60), nullable=False),
    Column("cascade", Boolean, nullable=False, default=False),
    Column("expiry", Float, nullable=True),  # NULL: infinite
    UniqueConstraint("page_id", "type"),
)

protected_titles = Table(
    "protected_titles",
    metadata,
    Column("namespace", Integer, primary_key=True),
    Column("title", String(255), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("timestamp", Float, nullable=False),
    Column("expiry", Float, nullable=True),
    Column("level", String(60), nullable=False),
)

logging = Table(
    "logging",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(32), nullable=False),
    Column("action", String(32), nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("user_id", Integer, nullable=False, default=0),
    Column("user_text", String(255), nullable=False),
    Column("namespace", Integer, nullable=False),
    Column("title", String(255), nullable=False),
    Column("page_id", Integer, nullable=True),
    Column("comment", Text, nullable=False, default=""),
    Column("params", JSON, nullable=False),
)
Index("ix_logging_type_time", logging.c.type, logging.c.timestamp)

# Hexadecimal addresses compare as bytes, whatever the PostgreSQL database's collation.
_HEX = String(40).with_variant(String(40, collation="C"), "postgresql")

# Blocks of accounts, addresses and ranges (MediaWiki's ipblocks). A range is kept as the
# hexadecimal forms of its first and last address, so that a containment test is two string
# comparisons an index can serve; `parent_id` marks an autoblock and names the block it came from.
blocks = Table(
    "blocks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", String(255), nullable=False),  # a user name, an IP address or a range
    Column("user_id", Integer, nullable=False),  # 0 unless the target is an account
    Column("by_id", Integer, nullable=False),
    Column("by_text", String(255), nullable=False),
    Column("reason", Text, nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("expiry", Float, nullable=True),  # NULL: infinite
    Column("range_start", _HEX, nullable=False),
    Column("range_end", _HEX, nullable=False),
    Column("anon_only", Boolean, nullable=False),
    Column("create_account", Boolean, nullable=False),
    Column("autoblock", Boolean, nullable=False),
    Column("block_email", Boolean, nullable=False),
    Column("allow_usertalk", Boolean, nullable=False),
    Column("hidden", Boolean, nullable=False),
    Column("sitewide", Boolean, nullable=False),
    Column("parent_id", Integer, nullable=True),
    # Block ids are shown and logged: one lifted must never be handed out again.
    sqlite_autoincrement=True,
)
Index("ix_blocks_user", blocks.c.user_id)
Index("ix_blocks_target", blocks.c.target)
Index("ix_blocks_range", blocks.c.range_start, blocks.c.range_end)
Index("ix_blocks_parent", blocks.c.parent_id)

# What a partial block covers: pages (type 1, by id) and namespaces (type 2).
block_restrictions = Table(
    "block_restrictions",
    metadata,
    Column("block_id", Integer, ForeignKey("blocks.id", ondelete="CASCADE"), primary_key=True),
    Column("type", Integer, primary_key=True),
    Column("value", Integer, primary_key=True),
)

watchlist = Table(
    "watchlist",
    metadata,
    Column("user_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("namespace", Integer, primary_key=True),
    Column("title", String(255), primary_key=True),
    Column("expiry", Float, nullable=True),
    # When someone else first changed the page since the watcher last saw it (None: nothing unseen).
    Column("notification", Float, nullable=True),
)

# OAuth consumers (Extension:OAuth's oauth_registered_consumer): applications that act for users
# with the grants the users accepted. A secret is kept as a random seed: the secret itself is a
# keyed hash of it (with the wiki's secret key), as the extension derives it, so the table alone
# gives nothing a client could present.
oauth_consumers = Table(
    "oauth_consumers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(32), nullable=False, unique=True),  # the public client id
    Column("name", String(128), nullable=False),
    Column("app_version", String(32), nullable=False),  # the application's own version, "1.0"
    Column("oauth_version", Integer, nullable=False),  # the protocol: 1 (OAuth 1.0a) or 2 (OAuth 2.0)
    Column("owner_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
    Column("owner_only", Boolean, nullable=False),
    Column("description", Text, nullable=False),
    Column("callback_url", Text, nullable=False),
    Column("callback_is_prefix", Boolean, nullable=False),
    Column("grants", JSON, nullable=False),
    Column("restrictions", JSON, nullable=False),  # IP ranges the consumer may be used from
    Column("secret_seed", String(64), nullable=False),
    Column("rsa_key", Text, nullable=False, server_default=""),  # OAuth 1.0a RSA-SHA1: the public key (PEM)
    Column("confidential", Boolean, nullable=False),  # an OAuth 2 client that can keep a secret
    Column("oauth2_grant_types", JSON, nullable=False),
    Column("stage", Integer, nullable=False),  # 0 proposed, 1 approved, 2 rejected, 3 expired, 4 disabled
    Column("registered", Float, nullable=False),
    UniqueConstraint("name", "app_version", "owner_id"),
)

# A user's acceptance of a consumer (oauth_accepted_consumer): the grants given and, for
# OAuth 1.0a, the access token and the seed of its secret.
oauth_acceptances = Table(
    "oauth_acceptances",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consumer_id", Integer, ForeignKey("oauth_consumers.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
    Column("grants", JSON, nullable=False),
    Column("accepted", Float, nullable=False),
    Column("access_token", String(64), nullable=True, unique=True),
    Column("access_secret_seed", String(64), nullable=True),
    UniqueConstraint("consumer_id", "user_id"),
)

# OAuth 2 tokens and authorization codes, by the hash of their identifier: an access token is a
# signed JWT whose `jti` is looked up here, so revoking one takes effect on its next use.
oauth2_tokens = Table(
    "oauth2_tokens",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),  # "access", "refresh" or "code"
    Column("acceptance_id", Integer, ForeignKey("oauth_acceptances.id", ondelete="CASCADE"), nullable=True),
    Column("consumer_id", Integer, ForeignKey("oauth_consumers.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("expires", Float, nullable=True),  # NULL: never (owner-only consumers)
    Column("revoked", Boolean, nullable=False),
    # An authorization code's redirect URI and PKCE challenge; a refresh token's access token.
    Column("redirect_uri", Text, nullable=True),
    Column("challenge", String(128), nullable=True),
    Column("challenge_method", String(8), nullable=True),
    Column("parent", String(64), nullable=True),
)
Index("ix_oauth2_tokens_acceptance", oauth2_tokens.c.acceptance_id)

# Sessions, tokens' secrets, throttles and rate limits when Redis is not configured.
objectcache = Table(
    "objectcache",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("value", Text, nullable=False),
    Column("expires", Float, nullable=True),
)
Index("ix_objectcache_expires", objectcache.c.expires)
