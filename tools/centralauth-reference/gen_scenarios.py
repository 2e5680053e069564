"""Writes tests/conformance/scenarios/{setglobalaccountstatus,deleteglobalaccount}.json."""
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "tests" / "conformance" / "scenarios"
NAME = "Conformance {unique} ga"
PW = "GlobalPassword-9876"
RET = "http://127.0.0.1:8081/"


def create(client="victim"):
    """A fresh account, made anonymously on its own client, then logged in there (the API's
    createaccount does not log the new account in)."""
    return [
        {"client": client, "token": "createaccount"},
        {"client": client, "method": "POST", "setup": True,
         "params": {"action": "createaccount", "username": NAME, "password": PW, "retype": PW,
                    "createreturnurl": RET, "createtoken": "{createaccounttoken}"}},
        {"client": client, "token": "login", "as": "vlt"},
        {"client": client, "method": "POST", "setup": True,
         "params": {"action": "clientlogin", "username": NAME, "password": PW, "loginreturnurl": RET,
                    "logintoken": "{vlt}"}},
    ]


def steward_on():
    return [
        {"login": "Admin"},
        {"token": "userrights", "as": "rightstoken"},
        {"method": "POST", "setup": True,
         "params": {"action": "userrights", "user": "Admin", "add": "steward", "reason": "conformance",
                    "token": "{rightstoken}"}},
    ]


def steward_off():
    return [{"method": "POST", "setup": True,
             "params": {"action": "userrights", "user": "Admin", "remove": "steward", "token": "{rightstoken}"}}]


def gtoken(kind="setglobalaccountstatus", client="main", as_="gtoken"):
    return [{"client": client, "token": kind, "as": as_}]


def sgas(client="main", token="{gtoken}", reason="conformance", **params):
    """Without a reason CentralAuth REL1_39 dies in its logging (TypeError), so one is given unless reason=None."""
    p = {"action": "setglobalaccountstatus", "user": NAME, "token": token}
    if reason is not None:
        p["reason"] = reason
    p.update({k: v for k, v in params.items() if v is not None})
    return {"client": client, "method": "POST", "params": p}


def dga(client="main", token="{dtoken}", reason="conformance", **params):
    p = {"action": "deleteglobalaccount", "user": NAME, "token": token}
    if reason is not None:
        p["reason"] = reason
    p.update(params)
    return {"client": client, "method": "POST", "params": p}


def logs(letype="globalauth", limit=3, client="main", **extra):
    """This account's entries only (CentralAuth logs on User:<name>@global)."""
    p = {"action": "query", "list": "logevents", "letype": letype, "lelimit": str(limit),
         "letitle": "User:" + NAME + "@global"}
    p.update(extra)
    return {"client": client, "method": "GET", "params": p}


def users(client="main", **extra):
    p = {"action": "query", "list": "users", "ususers": NAME, "usprop": "blockinfo|groups"}
    p.update(extra)
    return {"client": client, "method": "GET", "params": p}


def userinfo(client="victim", **extra):
    p = {"action": "query", "meta": "userinfo", "uiprop": "blockinfo|groups"}
    p.update(extra)
    return {"client": client, "method": "GET", "params": p}


def login_attempts(prefix="fresh"):
    """clientlogin and action=login, right and wrong password, each on a new client."""
    steps = []
    for i, pw in enumerate((PW, "WrongPassword-1111")):
        c = f"{prefix}cl{i}"
        steps += [{"client": c, "token": "login", "as": "lt"},
                  {"client": c, "method": "POST",
                   "params": {"action": "clientlogin", "username": NAME, "password": pw,
                              "loginreturnurl": RET, "logintoken": "{lt}"}},
                  {"client": c, "method": "GET", "params": {"action": "query", "meta": "userinfo"}}]
    for i, pw in enumerate((PW, "WrongPassword-1111")):
        c = f"{prefix}lg{i}"
        steps += [{"client": c, "token": "login", "as": "lt"},
                  {"client": c, "method": "POST",
                   "params": {"action": "login", "lgname": NAME, "lgpassword": pw, "lgtoken": "{lt}"}}]
    return steps


def sc(name, steps, doc=""):
    d = {"name": name, "steps": steps}
    if doc:
        d["doc"] = doc
    return d


def with_steward(body, kind="setglobalaccountstatus"):
    return create() + steward_on() + gtoken(kind, as_="gtoken" if kind == "setglobalaccountstatus" else "dtoken") \
        + body + steward_off()


S = []
S.append(sc("sgas-lock-unlock", with_steward([
    sgas(locked="lock", reason="conformance lock"),
    users(),
    logs(limit=1),
    sgas(locked="unlock", reason="conformance unlock"),
    logs(limit=2),
])))
S.append(sc("sgas-lock-fv2", with_steward([
    sgas(locked="lock", reason="conformance", formatversion="2"),
    sgas(locked="unlock", formatversion="2"),
    logs(limit=2, formatversion="2"),
])))
S.append(sc("sgas-lock-no-reason", with_steward([sgas(locked="lock", reason=None), logs(limit=1),
    sgas(locked="lock", reason=None, formatversion="2"), sgas(hidden="lists", reason=None, errorformat="plaintext"),
    sgas(locked="unlock", reason=None), users()]),
    doc="CentralAuth REL1_39 passes a missing reason (null) to ManualLogEntry::setComment(string): internal_api_error_TypeError, and the change is rolled back."))
S.append(sc("sgas-lock-twice", with_steward([sgas(locked="lock"), sgas(locked="lock"), logs(limit=2)])))
S.append(sc("sgas-unlock-unlocked", with_steward([sgas(locked="unlock"), sgas(locked="unlock", formatversion="2"),
                                                  sgas(locked="unlock", reason=None),
                                                  logs(limit=1)])))
S.append(sc("sgas-locked-empty", with_steward([
    sgas(locked="", reason="no change"), sgas(locked="", formatversion="2"), logs(limit=1),
    sgas(locked="lock"), sgas(locked="", reason="still locked"), sgas(locked="", formatversion="2")])))
S.append(sc("sgas-hidden-lists", with_steward([
    sgas(hidden="lists", reason="hide"), users(), logs(limit=1),
    {"method": "GET", "params": {"action": "query", "list": "allusers", "auprefix": NAME, "aulimit": "5"}},
    sgas(hidden="", reason="unhide"), logs(limit=2)])))
S.append(sc("sgas-hidden-lists-fv2", with_steward([
    sgas(hidden="lists", formatversion="2"), sgas(hidden="", formatversion="2")])))
S.append(sc("sgas-hidden-suppressed", with_steward([
    sgas(hidden="suppressed", reason="suppress"), users(), logs(limit=1),
    logs(letype="suppress", limit=1),
    sgas(hidden="", reason="unsuppress"), logs(limit=2), logs(letype="suppress", limit=2)])))
S.append(sc("sgas-lock-and-suppress", with_steward([
    sgas(locked="lock", hidden="suppressed", reason="both"), users(), logs(limit=2),
    logs(letype="suppress", limit=2),
    sgas(locked="unlock", hidden="", reason="undo both", formatversion="2"), logs(limit=2)])))
S.append(sc("sgas-lock-and-lists", with_steward([
    sgas(locked="lock", hidden="lists"), logs(limit=1), sgas(hidden="suppressed"), logs(limit=2),
    sgas(locked="unlock", hidden="lists"), logs(limit=1)])))
S.append(sc("sgas-statecheck-right", create() + steward_on() + gtoken() + [
    {"method": "GET", "setup": True, "params": {"action": "query", "list": "users", "ususers": NAME},
     "capture": {"uid": "query.users.0.userid"}},
    # CentralAuth hashes the GLOBAL id (gu_id), which drifts from the local one; where
    # meta=globaluserinfo exists its id replaces {uid} (wikigate has one id and no such module).
    {"method": "GET", "setup": True, "params": {"action": "query", "meta": "globaluserinfo", "guiuser": NAME},
     "capture": {"uid": "query.globaluserinfo.id"}},
    {"md5": "{uid}:" + NAME + "::0", "as": "sc0"},
    {"md5": "{uid}:" + NAME + "::1", "as": "sc1"},
    {"md5": "{uid}:" + NAME + ":lists:1", "as": "sc2"},
    sgas(locked="lock", statecheck="{sc0}"),
    sgas(hidden="lists", statecheck="{sc1}"),
    sgas(locked="unlock", hidden="", statecheck="{sc2}", formatversion="2"),
] + steward_off(), doc="statecheck = md5(<global id>:<name>:<hidden>:<locked 0|1>); the global id comes from meta=globaluserinfo where it exists."))
S.append(sc("sgas-statecheck-wrong", create() + steward_on() + gtoken() + [
    {"method": "GET", "setup": True, "params": {"action": "query", "list": "users", "ususers": NAME},
     "capture": {"uid": "query.users.0.userid"}},
    # CentralAuth hashes the GLOBAL id (gu_id), which drifts from the local one; where
    # meta=globaluserinfo exists its id replaces {uid} (wikigate has one id and no such module).
    {"method": "GET", "setup": True, "params": {"action": "query", "meta": "globaluserinfo", "guiuser": NAME},
     "capture": {"uid": "query.globaluserinfo.id"}},
    {"md5": "{uid}:" + NAME + "::0", "as": "sc0"},
    sgas(locked="lock", statecheck="0123456789abcdef0123456789abcdef"),
    sgas(locked="lock", statecheck="0123456789abcdef0123456789abcdef", formatversion="2"),
    sgas(locked="lock", statecheck="0123456789abcdef0123456789abcdef", errorformat="raw"),
    sgas(locked="lock", statecheck="{sc0}"),
    sgas(locked="unlock", statecheck="{sc0}"),
    users(),
] + steward_off()))
S.append(sc("sgas-missingparam", with_steward([
    sgas(), sgas(reason="nothing"), sgas(formatversion="2"), sgas(errorformat="raw"),
    sgas(errorformat="plaintext", formatversion="2")])))
S.append(sc("sgas-missing-user", steward_on() + gtoken() + [
    {"method": "POST", "params": {"action": "setglobalaccountstatus", "locked": "lock", "token": "{gtoken}"}}]
    + steward_off()))
S.append(sc("sgas-permissiondenied", create() + [
    {"client": "alice", "login": "Alice"}] + gtoken(client="alice", as_="atoken") + [
    sgas(client="alice", token="{atoken}", locked="lock"),
    sgas(client="alice", token="{atoken}", locked="lock", formatversion="2"),
    sgas(client="alice", token="{atoken}", locked="lock", errorformat="raw"),
    sgas(client="alice", token="{atoken}", hidden="suppressed"),
    {"client": "mindy", "login": "Mindy"}] + gtoken(client="mindy", as_="mtoken") + [
    sgas(client="mindy", token="{mtoken}", locked="lock"),
    users()]))
S.append(sc("sgas-nosuchuser", steward_on() + gtoken() + [
    sgas(user="Conformance {unique} nobody", locked="lock"),
    sgas(user="Conformance {unique} nobody", locked="lock", formatversion="2"),
    sgas(user="Conformance {unique} nobody", hidden="lists", errorformat="raw"),
    sgas(user="conformance {unique} nobody", locked="lock"),
    sgas(user="Bad<name>", locked="lock"),
    sgas(user="127.0.0.1", locked="lock")] + steward_off()))
S.append(sc("sgas-badvalue", with_steward([
    sgas(locked="bogus"), sgas(hidden="bogus"), sgas(hidden="bogus", errorformat="raw"),
    sgas(locked="Lock")])))
S.append(sc("sgas-token", with_steward([
    sgas(token="+\\", locked="lock"), sgas(token="0123456789abcdef0123456789abcdef+\\", locked="lock"),
    {"method": "POST", "params": {"action": "setglobalaccountstatus", "user": NAME, "locked": "lock"}},
    {"method": "GET", "params": {"action": "setglobalaccountstatus", "user": NAME, "locked": "lock",
                                 "token": "{gtoken}"}},
    {"method": "GET", "params": {"action": "query", "meta": "tokens", "type": "setglobalaccountstatus|deleteglobalaccount"}},
    users()])))
S.append(sc("sgas-locked-logins", with_steward([sgas(locked="lock", reason="no logins")] + login_attempts()
                                               + [sgas(locked="unlock")] + login_attempts("after"))))
S.append(sc("sgas-locked-session", create() + [userinfo()] + steward_on() + gtoken() + [
    sgas(locked="lock"), userinfo(), userinfo(formatversion="2"),
    {"client": "victim", "token": "csrf", "as": "vcsrf"},
    {"client": "victim", "method": "POST", "params": {"action": "edit", "title": "Conformance {unique} page",
                                                     "text": "x", "token": "{vcsrf}"}},
    sgas(locked="unlock"), userinfo()] + steward_off()))
S.append(sc("sgas-suppressed-session", create() + steward_on() + gtoken() + [
    sgas(hidden="suppressed"), userinfo(), users(),
    {"client": "alice", "login": "Alice"}, users(client="alice"),
    logs(client="alice", limit=1),
    sgas(hidden="")] + steward_off()))
S.append(sc("sgas-logevents-details", with_steward([
    sgas(locked="lock", reason="detail"), logs(limit=1, leprop="ids|title|type|user|userid|timestamp|comment|parsedcomment|details|tags"),
    logs(limit=1, leprop="ids|title|type|user|timestamp|comment|details", formatversion="2"),
    logs(limit=1, leaction="globalauth/setstatus"),
    sgas(locked="unlock")])))

S.append(sc("sgas-suppress-log-reader", create() + [
    {"login": "Admin"}, {"token": "userrights", "as": "rightstoken"},
    {"method": "POST", "setup": True, "params": {"action": "userrights", "user": "Admin", "add": "steward|suppress",
                                                 "reason": "conformance", "token": "{rightstoken}"}}] + gtoken() + [
    sgas(hidden="lists", reason="hide"), logs(letype="suppress", limit=5), logs(limit=5),
    sgas(hidden="suppressed", reason="suppress"), logs(letype="suppress", limit=5),
    logs(letype="suppress", limit=5, formatversion="2"), users(),
    sgas(locked="lock", reason="lock too"), logs(letype="suppress", limit=5), logs(limit=5),
    {"client": "alice", "login": "Alice"}, logs(client="alice", letype="suppress", limit=5),
    logs(client="alice", limit=5),
    {"method": "POST", "setup": True, "params": {"action": "userrights", "user": "Admin", "remove": "steward|suppress",
                                                 "token": "{rightstoken}"}}],
    doc="Admin also in 'suppress' (suppressionlog, hideuser) to read the suppression log."))

D = []
def dwith(body):
    return create() + steward_on() + gtoken("deleteglobalaccount", as_="dtoken") + body + steward_off()

D.append(sc("dga-success", dwith([dga(reason="conformance delete"), logs(limit=1), users(),
                                  dga(reason="again")])))
D.append(sc("dga-fv2", dwith([dga(formatversion="2"), logs(limit=1, formatversion="2")])))
D.append(sc("dga-no-reason", dwith([dga(reason=None), dga(reason=None, formatversion="2"), logs(limit=1), users(),
    dga(reason="")]),
    doc="CentralAuth REL1_39 without a reason: internal_api_error_TypeError (null to ManualLogEntry::setComment), rolled back."))
D.append(sc("dga-login-after", dwith([dga(reason="gone")] + [userinfo()] + login_attempts())))
D.append(sc("dga-permissiondenied", create() + [
    {"client": "alice", "login": "Alice"}] + gtoken("deleteglobalaccount", client="alice", as_="atoken") + [
    dga(client="alice", token="{atoken}"), dga(client="alice", token="{atoken}", formatversion="2"),
    dga(client="alice", token="{atoken}", errorformat="raw"),
    {"client": "mindy", "login": "Mindy"}] + gtoken("deleteglobalaccount", client="mindy", as_="mtoken") + [
    dga(client="mindy", token="{mtoken}"), users()]))
D.append(sc("dga-nosuchuser", steward_on() + gtoken("deleteglobalaccount", as_="dtoken") + [
    dga(user="Conformance {unique} nobody"), dga(user="Conformance {unique} nobody", formatversion="2"),
    dga(user="Conformance {unique} nobody", errorformat="raw"),
    dga(user="Bad<name>"), dga(user="127.0.0.1")] + steward_off()))
D.append(sc("dga-missing-user", steward_on() + gtoken("deleteglobalaccount", as_="dtoken") + [
    {"method": "POST", "params": {"action": "deleteglobalaccount", "token": "{dtoken}"}},
    {"method": "POST", "params": {"action": "deleteglobalaccount", "token": "{dtoken}", "errorformat": "raw"}}]
    + steward_off()))
D.append(sc("dga-token", dwith([
    dga(token="+\\"), {"method": "POST", "params": {"action": "deleteglobalaccount", "user": NAME}},
    {"method": "GET", "params": {"action": "deleteglobalaccount", "user": NAME, "token": "{dtoken}"}},
    users()])))
D.append(sc("dga-locked-then-delete", dwith(gtoken() + [sgas(locked="lock", hidden="lists", reason="first"),
                                                          dga(reason="then"), logs(limit=2)])))
D.append(sc("dga-suppressed-then-delete", dwith(gtoken() + [sgas(hidden="suppressed"), dga(), logs(limit=1),
                                                              logs(letype="suppress", limit=1)])))
D.append(sc("dga-then-setstatus", dwith(gtoken() + [dga(), sgas(locked="lock")])))

(OUT / "setglobalaccountstatus.json").write_text(json.dumps({"module": "setglobalaccountstatus", "scenarios": S}, indent=1) + "\n")
(OUT / "deleteglobalaccount.json").write_text(json.dumps({"module": "deleteglobalaccount", "scenarios": D}, indent=1) + "\n")
print(len(S), len(D))
