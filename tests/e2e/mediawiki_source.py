"""MediaWiki's own Action API specs (tests/api-testing/action/*.js), fetched at test time.

They come from Debian's source package of the reference release (bookworm's
mediawiki, 1:1.39.x), downloaded with apt-get through a private sources list
(so the machine's apt configuration is left alone) and verified by apt against
Debian's signed indexes. Only the specs are unpacked, into a cache outside the
repository; nothing of MediaWiki is ever copied into this project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wikigate" / "mediawiki-api-testing"
SOURCES = """\
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian-security bookworm-security main
deb-src http://deb.debian.org/debian bookworm-updates main
"""
RELEASE = "1.39."  # the reference wiki's release


class SourceUnavailable(Exception):
    """The package could not be fetched (no registry, no apt): the output says why."""


def action_specs() -> Path:
    """The directory of MediaWiki's action/*.js specs, fetched and unpacked once."""
    done = CACHE / "action"
    if (CACHE / ".complete").exists():
        return done
    download = CACHE / "download"
    shutil.rmtree(CACHE, ignore_errors=True)
    download.mkdir(parents=True)
    apt = CACHE / "apt"
    for folder in ("lists/partial", "cache/archives/partial"):
        (apt / folder).mkdir(parents=True)
    (apt / "sources.list").write_text(SOURCES)
    options = ["-o", f"Dir::Etc::SourceList={apt / 'sources.list'}", "-o", "Dir::Etc::SourceParts=/dev/null",
               "-o", f"Dir::State::Lists={apt / 'lists'}", "-o", f"Dir::Cache={apt / 'cache'}",
               "-o", "Debug::NoLocking=1", "-o", "APT::Sandbox::User=root"]
    for step in (["update"], ["source", "--download-only", "mediawiki"]):
        result = subprocess.run(["apt-get", *options, *step], cwd=download, capture_output=True, text=True,
                                timeout=600)
        if result.returncode != 0:
            raise SourceUnavailable(f"apt-get {' '.join(step)}: {result.stdout[-2000:]}{result.stderr[-2000:]}")
    tarballs = sorted(download.glob(f"mediawiki_{RELEASE}*.orig.tar.gz"))
    if not tarballs:
        found = ", ".join(path.name for path in download.iterdir())
        raise SourceUnavailable(f"no mediawiki {RELEASE}x source in bookworm (found: {found})")
    done.mkdir()
    with tarfile.open(tarballs[-1]) as archive:
        for member in archive.getmembers():
            parts = Path(member.name).parts
            if member.isfile() and parts[1:4] == ("tests", "api-testing", "action") and len(parts) == 5:
                (done / parts[4]).write_bytes(archive.extractfile(member).read())  # type: ignore[union-attr]
    (CACHE / ".version").write_text(tarballs[-1].name)
    shutil.rmtree(download)
    (CACHE / ".complete").touch()
    return done
