"""wikigate: the MediaWiki Action API for accounts, sessions, passwords and page protection."""

__version__ = "0.1.0"

# The MediaWiki release whose wire format we reproduce; clients parse it from siteinfo.
MEDIAWIKI_VERSION = "1.39.17"
