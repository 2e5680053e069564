"""Messages of the pages area: editing, protection, group changes and their permission errors."""

MESSAGES: dict[str, str] = {
    # action=protect
    "apierror-toofewexpiries": "{{PLURAL:$1|One expiry was|$1 expiries were}} given, but $2 {{PLURAL:$2|is|are}} needed (one per protection, or a single one for all).",
    "apierror-create-titleexists": "The <kbd>create</kbd> protection only applies to titles that don't exist yet.",
    "apierror-missingtitle-createonly": "A title that doesn't exist can only get the <kbd>create</kbd> protection.",
    "apierror-protect-invalidaction": "\"$1\" is not a protection type that applies here.",
    "apierror-protect-invalidlevel": "\"$1\" is not a protection level you can set.",
    "apierror-invalidexpiry": "The expiry \"$1\" is not a valid time.",
    "apierror-pastexpiry": "The expiry \"$1\" lies in the past.",
    # Titles and pages
    "apierror-invalidtitle": "\"$1\" is not a valid page title.",
    "apierror-pagecannotexist": "No page can be stored under this title (it is in a virtual namespace).",
    "apierror-nosuchpageid": "No page has the ID $1.",
    "apierror-missingtitle": "That page doesn't exist.",
    # Why a title is invalid (prop=info's invalidreason)
    "title-invalid-empty": "The title is empty, or names only a namespace.",
    "title-invalid-utf8": "The title holds an invalid UTF-8 sequence.",
    "title-invalid-talk-namespace": "The title names a talk page that cannot exist.",
    "title-invalid-characters": "The title holds characters that are not allowed in titles: \"$1\".",
    "title-invalid-relative": "The title holds a relative path (./ or ../), which is not allowed.",
    "title-invalid-magic-tilde": "The title holds three or more tildes (~~~), which are not allowed.",
    "title-invalid-too-long": "The title is too long: it may have at most $1 {{PLURAL:$1|byte|bytes}} in UTF-8.",
    "title-invalid-leading-colon": "The title starts with a colon, which is not allowed.",
    # action=edit
    "apierror-articleexists": "That page exists already, so it can't be created.",
    "apierror-badmd5": "The MD5 hash given doesn't match the text.",
    "apierror-editconflict": "Edit conflict: the page was changed since you started editing it.",
    "apierror-undo-unsupported": "Undoing revisions is not supported by this server.",
    "apierror-invalidsection": "The <var>section</var> parameter must be a section number, optionally prefixed with T-, or \"new\".",
    "apierror-nosuchsection": "The page has no section $1.",
    "missingcommenttext": "A new section needs some text.",
    "newsectionsummary": "/* $1 */ new section",
    # Permission errors (MediaWiki's keys, so the API codes match)
    "badaccess-group0": "You may not perform the action you asked for.",
    "badaccess-groups": "Only members of {{PLURAL:$2|the group|one of the groups}} $1 may perform the action you asked for.",
    "protectedpagetext": "This page is protected against editing and similar actions.",
    "cascadeprotected": "This page can't be edited because {{PLURAL:$1|a page|pages}} with cascading protection transclude{{PLURAL:$1|s|}} it:\n$2",
    "titleprotected": "[[User:$1|$1]] has protected this title against creation, giving the reason <em>$2</em>.",
    "nocreatetext": "Creating pages is restricted on this wiki; you may edit existing pages, or [[Special:UserLogin|log in or create an account]].",
    "nocreate-loggedin": "You may not create new pages.",
    "protectedinterface": "This page holds interface text for the software and is protected against abuse.",
    "ns-specialprotected": "Special pages can't be edited.",
    "protect-cantedit": "You can't change this page's protection, because you can't edit it.",
    # Null revisions written by a protection change
    "protect-comment-protected": "Protected \"[[$1]]\"",
    "protect-comment-modified": "Changed the protection of \"[[$1]]\"",
    "protect-comment-unprotected": "Lifted the protection of \"[[$1]]\"",
    "protect-comment-cascade": "[cascading]",
    "colon-separator": ": ",
    # prop=revisions
    "apiwarn-deprecation-missingparam": "<var>$1</var> was not given, so the output uses the legacy format; this format is deprecated and will not show slots other than the main one.",
    "apierror-revisions-singlepage": "<var>titles</var>, <var>pageids</var> or a generator gave more than one page, or <var>revids</var> more than one revision; the <var>limit</var>, <var>start</var>, <var>end</var>, <var>dir</var>, <var>user</var>, <var>excludeuser</var> and <var>continue</var> parameters need exactly one page.",
    "apierror-badcontinue": "The <var>continue</var> value is not valid; use the one the previous answer gave.",
    "apierror-nosuchrevid": "No revision has the ID $1.",
}
