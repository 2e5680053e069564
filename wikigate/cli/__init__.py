"""The `wikigate` command: serve, database upgrades and account administration.

A second thin client of the services, beside the API. Every failure is one
clear line on stderr and a non-zero exit status.
"""

from wikigate.cli import accounts, credentials, fixtures, moderation, oauth, server, throttles
from wikigate.cli.common import main

__all__ = ["accounts", "credentials", "fixtures", "main", "moderation", "oauth", "server", "throttles"]

if __name__ == "__main__":
    main()
