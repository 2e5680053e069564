"""English texts of the messages about blocks, written for this project (keys and parameters are MediaWiki's)."""

MESSAGES: dict[str, str] = {
    # What a blocked request is told.
    "apierror-blocked": "You are blocked from editing.",
    "apierror-blocked-partial": "You are blocked from editing this page.",
    "apierror-autoblocked": "Your IP address is blocked automatically, because a blocked user used it.",
    "apierror-systemblocked": "The wiki itself has blocked you automatically.",
    "blockedtext-composite-reason": "More than one block applies to your account or your IP address.",
    "autoblocker": "Blocked automatically because \"[[User:$1|$1]]\" used your IP address recently. "
                   "The reason given for blocking $1 is: $2",
    "blocked-mailpassword": "Your IP address is blocked from editing, so it cannot be used to recover a "
                            "password either.",
    "login-userblocked": "This user ($1) is blocked and cannot log in.",
    # Placing and lifting blocks.
    "action-block": "block this user from editing",
    "apierror-permissiondenied-unblock": "You don't have permission to lift blocks.",
    "apierror-cantblock-email": "You don't have permission to stop users sending email through the wiki.",
    "apierror-cidrtoobroad": "$1 ranges wider than /$2 are not accepted.",
    "apierror-badip": "The IP parameter is not a valid address or range.",
    "ipb_already_blocked": "\"$1\" is blocked already.",
    "ipb_cant_unblock": "No block for $1 was found. Perhaps it was lifted already.",
    "ipb_blocked_as_range": "The IP address $1 is not blocked on its own but as part of the range $2; lift "
                            "the range's block instead.",
    "ipbblocked": "You are blocked yourself, so you cannot block or unblock others.",
    "ipbnounblockself": "You may not lift your own block.",
    "cant-see-hidden-user": "The user you want to block is blocked and hidden already; without the right to "
                            "hide users you cannot see or change that block.",
    "unblock-hideuser": "This user's name is hidden, so you cannot lift the block.",
    "cant-block-nonexistent-page": "There is no page called \"$1\" to block editing of.",
    "nosuchusershort": "No user is called \"$1\". Check the spelling.",
    "badipaddress": "The IP address is not valid.",
    "ip_range_invalid": "The IP range is not valid.",
    "ip_range_toolarge": "Blocks of ranges wider than /$1 are not allowed.",
    "range_block_disabled": "Blocking ranges is turned off on this wiki.",
    "ipb-prevent-user-talk-edit": "A partial block cannot stop edits of the user's own talk page unless it "
                                  "covers the User talk namespace.",
    "ipb_expiry_invalid": "The expiry time is not valid.",
    "ipb_expiry_old": "The expiry time has passed already.",
    "ipb_expiry_temp": "A block that hides the user's name cannot expire.",
    "ipb_hide_partial": "A block that hides the user's name must cover the whole site.",
    "ipb_hide_invalid": "This account has more than {{PLURAL:$1|one edit|$1 edits}}, so its name cannot be hidden.",
    "ipb-empty-block": "The block asks to stop nothing.",
    "paramvalidator-missingtitle": "The value \"$2\" of the title parameter <var>$1</var> names no existing page.",
    "blockedtext": "'''Your user name or IP address is blocked.'''\n\n$1 placed the block, giving this reason: ''$2''.\n\n* Start of the block: $8\n* End of the block: $6\n* Blocked: $7\n\nTo discuss the block, contact $1 or another administrator. Give your current IP address ($3) and the block ID (#$5) when you do.",
    "blockedtext-partial": "'''Your user name or IP address is blocked from this page.'''\n\n$1 placed the block, giving this reason: ''$2''.\n\n* Start of the block: $8\n* End of the block: $6\n* Blocked: $7\n\nTo discuss the block, contact $1 or another administrator. Give your current IP address ($3) and the block ID (#$5) when you do.",
    "autoblockedtext": "'''Your IP address is blocked automatically''', because a user whom $1 blocked used it. The reason given is: ''$2''.\n\n* Start of the block: $8\n* End of the block: $6\n* Blocked: $7\n\nTo discuss the block, contact $1 or another administrator. Give your current IP address ($3) and the block ID (#$5) when you do.",
    "blockedtext-composite": "'''Your user name or IP address is blocked.''' The reason given is: ''$2''.\n\n* Start of the block: $8\n* End of the longest block: $6\n\nYour current IP address is $3; give it when you ask about the block.",
    "infiniteblock": "never",
    "blockednoreason": "no reason given",
    "action-centralauth-lock": "lock or unlock accounts",
    "action-centralauth-unmerge": "delete accounts",
    "apierror-centralauth-editconflict": "The account changed since its state was read; nothing was done.",
    "centralauth-admin-not-authorized": "You may not hide names or show hidden ones.",
    "centralauth-admin-too-many-edits": "$1 has more than {{PLURAL:$2|one edit|$2 edits}}, so the name cannot be hidden.",
    "centralauth-login-error-locked": "This account is locked and cannot log in.",
}
