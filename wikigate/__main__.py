"""`python -m wikigate …`: the `wikigate` command, for environments whose scripts are not on PATH."""

from wikigate.cli import main

main()
