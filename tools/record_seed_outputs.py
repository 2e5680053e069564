"""Record what every seed program prints against MediaWiki 1.39 (the reference wiki of ../shared/reference/).

    .venv/bin/python tools/record_seed_outputs.py      # writes tests/e2e/seed_programs/recorded.json

The programs run as the end-to-end tier runs them against wikigate: the same
accounts (Alice's main account for reset_password, a bot password `e2e` of
Mindy, a sysop and interface admin, with the same grants, for protect), the
pages they act on, and the same interpreters. Outputs are stored normalised
(tests/e2e/seed_outputs.py); test_seed_programs.py compares wikigate's with them.
Needs root, for MediaWiki's maintenance scripts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from seed_outputs import normalised  # noqa: E402

API = "http://127.0.0.1:8081/w/api.php"
PROGRAMS = ROOT / "tests" / "e2e" / "seed_programs"
RECORDED = PROGRAMS / "recorded.json"
MEDIAWIKI_CODE = Path("/usr/share/mediawiki")
DATABASE = Path("/var/lib/mediawiki-oracle/data/oraclewiki.sqlite")
NODE_MODULES = ROOT / "tests" / "e2e" / "node" / "node_modules"
PASSWORDS = {"Alice": "AlicePassword-1234", "Admin": "AdminPassword-1234"}
BOT = ("Mindy", "e2e", "seedprogramsbotpassword0123456789", "basic,editpage,createeditmovepage,protect,"
       "editprotected,editsiteconfig")
CREDENTIALS = {"reset_password": ("Alice", PASSWORDS["Alice"]), "protect": (f"{BOT[0]}@{BOT[1]}", BOT[2])}
PAGES = {"User:SSethi (WMF)/common.js": "// page for the protect seed program", "Sandbox": "Sandbox."}


def prepare() -> None:
    """The reference wiki's side of the end-to-end setup: Mindy's rights, her bot password, the pages."""
    admin = httpx.Client()
    token = admin.get(API, params={"action": "query", "meta": "tokens", "type": "login", "format": "json"}).json()
    admin.post(API, data={"action": "clientlogin", "username": "Admin", "password": PASSWORDS["Admin"],
                          "loginreturnurl": "http://127.0.0.1/", "format": "json",
                          "logintoken": token["query"]["tokens"]["logintoken"]})
    tokens = admin.get(API, params={"action": "query", "meta": "tokens", "type": "csrf|userrights",
                                    "format": "json"}).json()["query"]["tokens"]
    admin.post(API, data={"action": "userrights", "user": "Mindy", "add": "interface-admin",
                          "token": tokens["userrightstoken"], "format": "json"})
    for title, text in PAGES.items():
        admin.post(API, data={"action": "edit", "title": title, "text": text, "token": tokens["csrftoken"],
                              "format": "json"})
    user, app, password, grants = BOT
    # Recreated on every run, so its grants and password are these (there is no script to delete one).
    subprocess.run(["setpriv", "--reuid=www-data", "--regid=www-data", "--init-groups", "sqlite3", str(DATABASE),
                    f"DELETE FROM bot_passwords WHERE bp_app_id='{app}' AND bp_user="
                    f"(SELECT user_id FROM user WHERE user_name='{user}')"], check=True, capture_output=True)
    subprocess.run(["setpriv", "--reuid=www-data", "--regid=www-data", "--init-groups", "php",
                    "maintenance/createBotPassword.php", "--appid", app, "--grants", grants, user, password],
                   cwd=MEDIAWIKI_CODE, check=True, capture_output=True)


def run(program: str, language: str) -> str:
    user, password = CREDENTIALS.get(program, ("Alice", PASSWORDS["Alice"]))
    source = ((PROGRAMS / f"{program}.{language}").read_text().replace("{{API_URL}}", API)
              .replace("{{LOGIN_NAME}}", user).replace("{{LOGIN_PASSWORD}}", password))
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / f"{program}.{language}"
        path.write_text(source)
        argv = {"py": [sys.executable], "php": ["php"], "js": ["node"]}[language] + [str(path)]
        result = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=120,
                                env={**os.environ, "NODE_PATH": str(NODE_MODULES)})
    return result.stdout


def main() -> None:
    prepare()
    recorded = {f"{program}.{language}": normalised(run(program, language))
                for program in ("tokens", "validatepassword", "reset_password", "protect")
                for language in ("py", "php", "js")}
    RECORDED.write_text(json.dumps({"recorded_from": "MediaWiki 1.39.17", "outputs": recorded}, indent=1,
                                   ensure_ascii=False) + "\n")
    for name, output in recorded.items():
        print(f"{name}: {json.dumps(output)[:160]}")


if __name__ == "__main__":
    main()
