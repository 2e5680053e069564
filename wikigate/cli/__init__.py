"""The `wikigate` command: serve, database upgrades and account administration.

A second thin client of the services, beside the API. Every failure is one
clear line on stderr and a non-zero exit status.
"""

from wikigate.cli import accounts, credentials, moderation, oauth, server
from wikigate.cli.common import main

__all__ = ["accounts", "credentials", "main", "moderation", "oauth", "server"]

if __name__ == "__main__":
    main()
