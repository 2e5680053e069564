"""meta=siteinfo: overall information about the site."""

from __future__ import annotations

import platform
from typing import Any
from urllib.parse import urlsplit

from wikigate import MEDIAWIKI_VERSION, __version__, specialpages
from wikigate.api.context import ApiContext
from wikigate.api.formats import BC_BOOLS, Preformatted, to_formatversion
from wikigate.api.params import Param
from wikigate.config import DEFAULT_USER_OPTIONS, DEFAULT_USER_OPTIONS_BOOLEANS
from wikigate.timeutil import to_iso
from wikigate.titles import LEGAL_TITLE_CHARS

NAME = "siteinfo"
GROUP = "meta"
PREFIX = "si"
CACHE_MODE = "public"
DESCRIPTION = "Return general information about the site."
PROPS = (
    "general", "namespaces", "namespacealiases", "specialpagealiases", "magicwords", "interwikimap",
    "dbrepllag", "statistics", "usergroups", "libraries", "extensions", "fileextensions", "rightsinfo",
    "restrictions", "languages", "languagevariants", "skins", "extensiontags", "functionhooks",
    "showhooks", "variables", "protocols", "defaultoptions", "uploaddialog",
)
PARAMS = (
    Param("prop", PROPS, default="general", multi=True, help="Which information to get."),
    Param("filteriw", ("local", "!local"), help="Return only local or only nonlocal entries of the interwiki map."),
    Param("showalldb", "boolean", help="List all database servers, not just the one lagging the most."),
    Param("numberingroup", "boolean", help="List the number of users in user groups."),
    Param("inlanguagecode", "string", help="Language code for localised language names."),
)
EXAMPLES = (("action=query&meta=siteinfo&siprop=general|namespaces|namespacealiases|statistics", "Fetch site information."),)

MAGIC_WORDS = ("!", "=", "pagename", "namespace", "fullpagename", "sitename", "server", "currentyear")
EXTENSION_NAMES = ("OATHAuth",)
# Per services record and format: a process serves one configuration, so this is shaped once.
_GENERAL: dict[tuple[int, int], dict[str, Any]] = {}


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    for prop in params["prop"]:
        query.data[prop] = await _PROPS[prop](ctx, params)


async def _general(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    # Everything but the time is fixed for the life of the process: shape it once per format.
    key = (id(ctx.services), ctx.formatversion)
    static = _GENERAL.get(key)
    if static is None:
        static = _GENERAL[key] = to_formatversion(_general_static(ctx), ctx.formatversion)
    general = Preformatted(static)
    general["time"] = to_iso(ctx.now)
    return general


def _general_static(ctx: ApiContext) -> dict[str, Any]:
    settings = ctx.settings
    server = settings.public_server
    script = settings.script_path
    v2 = ctx.formatversion == 2
    thumbs = [120, 150, 180, 200, 250, 300]
    images = [[320, 240], [640, 480], [800, 600], [1024, 768], [1280, 1024], [2560, 2048]]
    backend, version = ctx.services.queries.backend
    return {
        "mainpage": "Main Page",
        "base": f"{server}{script}/index.php/Main_Page",
        "sitename": settings.sitename,
        "mainpageisdomainroot": False,
        "logo": f"{server}{script}/resources/assets/change-your-logo.svg",
        "generator": f"MediaWiki {MEDIAWIKI_VERSION} (wikigate {__version__})",
        "phpversion": platform.python_version(),
        "phpsapi": "wikigate",
        "dbtype": "postgres" if backend == "postgresql" else "sqlite",
        "dbversion": version,
        "imagewhitelistenabled": False,
        "langconversion": True,
        "linkconversion": True,
        "titleconversion": True,
        "linkprefixcharset": "",
        "linkprefix": "",
        "linktrail": "/^([a-z]+)(.*)$/sD",
        "legaltitlechars": LEGAL_TITLE_CHARS,
        "invalidusernamechars": settings.invalid_username_characters,
        "allunicodefixes": False,
        "fixarabicunicode": True,
        "fixmalayalamunicode": True,
        "case": "first-letter",
        "lang": "en",
        "fallback": [],
        "rtl": False,
        "fallback8bitEncoding": "windows-1252",
        "readonly": bool(settings.read_only),
        **({"readonlyreason": settings.read_only} if settings.read_only else {}),
        "writeapi": True,
        "maxarticlesize": 2097152,
        "timezone": "UTC",
        "timeoffset": 0,
        "articlepath": f"{script}/index.php/$1",
        "scriptpath": script,
        "script": f"{script}/index.php",
        "variantarticlepath": False,  # stays false in formatversion 1 too (see the end)
        "server": server,
        "servername": urlsplit(server).hostname or "",
        "wikiid": settings.wiki_id,
        "time": "",
        "misermode": False,
        "uploadsenabled": False,
        "maxuploadsize": 104857600,
        "minuploadchunksize": 1024,
        "galleryoptions": {"imagesPerRow": 0, "imageWidth": 120, "imageHeight": 120, "captionLength": True,
                           "showBytes": True, "showDimensions": True, "mode": "traditional"},
        # formatversion 1 lists these; 2 keys them by index, as MediaWiki does.
        "thumblimits": {str(i): t for i, t in enumerate(thumbs)} if v2 else thumbs,
        "imagelimits": ({str(i): {"width": w, "height": h} for i, (w, h) in enumerate(images)} if v2
                        else [{"width": w, "height": h} for w, h in images]),
        "favicon": f"{server}/favicon.ico",
        "centralidlookupprovider": "local",
        "allcentralidlookupproviders": ["local"],
        "interwikimagic": True,
        "magiclinks": {"ISBN": False, "PMID": False, "RFC": False, "__bc_bools__": ["ISBN", "PMID", "RFC"]}
        if v2 else [],
        "categorycollation": "uppercase",
        "nofollowlinks": True,
        "nofollownsexceptions": [],
        "nofollowdomainexceptions": ["mediawiki.org"],
        "externallinktarget": False,
        "__bc_bools__": ["variantarticlepath"],
    }


async def _namespaces(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    name_key = "name" if ctx.formatversion == 2 else "*"
    out: dict[str, Any] = {}
    for ns in ctx.services.namespaces:
        entry: dict[str, Any] = {"id": ns.id, "case": ns.case, name_key: ns.name, "subpages": ns.subpages}
        if ns.id != 0:
            entry["canonical"] = ns.canonical
        entry["content"] = ns.content
        entry["nonincludable"] = ns.nonincludable
        if ns.protection:
            entry["namespaceprotection"] = ns.protection
        out[str(ns.id)] = entry
    return out


async def _namespacealiases(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    name_key = "alias" if ctx.formatversion == 2 else "*"
    return [{"id": ns_id, name_key: alias} for alias, ns_id in ctx.services.namespaces.aliases.items()]


async def _specialpagealiases(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"realname": name, "aliases": list(names)} for name, names in specialpages.aliases().items()]


async def _magicwords(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": word, "aliases": [word.upper() if word.isalpha() else word], "case-sensitive": not word.isalpha()}
            for word in MAGIC_WORDS]


async def _empty_list(ctx: ApiContext, params: dict[str, Any]) -> list[Any]:
    return []


async def _dbrepllag(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"host": "", "lag": 0}]


async def _statistics(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    counts = await ctx.services.queries.site_counts()
    return {"pages": counts.pages, "articles": counts.articles, "edits": counts.edits, "images": 0,
            "users": counts.users, "activeusers": 0, "admins": counts.admins, "jobs": 0}


async def _usergroups(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    settings = ctx.settings
    counts = await ctx.services.queries.group_sizes() if params["numberingroup"] else {}
    groups = []
    for name, rights in settings.group_permissions.items():
        entry: dict[str, Any] = {"name": name, "rights": list(rights)}
        if params["numberingroup"]:
            entry["number"] = counts.get(name, 0)
        for key, table in (("add", settings.add_groups), ("remove", settings.remove_groups),
                           ("add-self", settings.groups_add_to_self),
                           ("remove-self", settings.groups_remove_from_self)):
            if table.get(name):
                entry[key] = list(table[name])
        groups.append(entry)
    return groups


async def _extensions(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "other", "name": name, "descriptionmsg": f"{name.lower()}-desc",
             "version": "wikigate", "license-name": "MIT"} for name in EXTENSION_NAMES]


async def _fileextensions(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"ext": ext} for ext in ("png", "gif", "jpg", "jpeg", "webp")]


async def _rightsinfo(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    return {"url": "", "text": ""}


async def _restrictions(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    settings = ctx.settings
    return {
        "types": list(settings.restriction_types),
        "levels": list(settings.restriction_levels),
        "cascadinglevels": list(settings.cascading_restriction_levels),
        "semiprotectedlevels": list(settings.semiprotected_restriction_levels),
    }


async def _languages(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    key = "name" if ctx.formatversion == 2 else "*"
    return [{"code": "en", "bcp47": "en", key: "English"}]


async def _languagevariants(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    return {}


async def _skins(ctx: ApiContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    key = "name" if ctx.formatversion == 2 else "*"
    return [{"code": "vector-2022", "default": True, key: "Vector (2022)"}]


async def _protocols(ctx: ApiContext, params: dict[str, Any]) -> list[str]:
    return ["http://", "https://", "mailto:", "ftp://", "//"]


async def _defaultoptions(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULT_USER_OPTIONS, BC_BOOLS: DEFAULT_USER_OPTIONS_BOOLEANS}


async def _uploaddialog(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    # $wgUploadDialog's defaults: uploads are off here, but clients read the shape.
    return {"fields": {"description": True, "date": False, "categories": False},
            "licensemessages": {"local": "generic-local", "foreign": "generic-foreign"},
            "comment": {"local": "", "foreign": ""},
            "format": {"filepage": "$DESCRIPTION", "description": "$TEXT", "ownwork": "", "license": "",
                       "uncategorized": ""}}


async def _interwikimap(ctx: ApiContext, params: dict[str, Any]) -> list[Any]:
    # No interwiki prefixes are configured: titles like `foo:bar` stay local.
    return []


_PROPS = {
    "general": _general, "namespaces": _namespaces, "namespacealiases": _namespacealiases,
    "specialpagealiases": _specialpagealiases, "magicwords": _magicwords, "interwikimap": _interwikimap,
    "dbrepllag": _dbrepllag, "statistics": _statistics, "usergroups": _usergroups,
    "libraries": _empty_list, "extensions": _extensions, "fileextensions": _fileextensions,
    "rightsinfo": _rightsinfo, "restrictions": _restrictions, "languages": _languages,
    "languagevariants": _languagevariants, "skins": _skins, "extensiontags": _empty_list,
    "functionhooks": _empty_list, "showhooks": _empty_list, "variables": _empty_list,
    "protocols": _protocols, "defaultoptions": _defaultoptions, "uploaddialog": _uploaddialog,
}
