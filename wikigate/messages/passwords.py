"""Messages of the passwords area: policy checks, validatepassword, resets and changes."""

MESSAGES: dict[str, str] = {
    # Password policy (auth/policy.py issue codes).
    "passwordtooshort": "A password needs at least {{PLURAL:$1|1 character|$1 characters}}.",
    "passwordtoolong": "A password may have at most {{PLURAL:$1|1 character|$1 characters}}.",
    "password-substring-username-match": "The password must not be part of the username.",
    "password-login-forbidden": "This username and password may not be used: they were published as defaults.",
    "passwordincommonlist": "This password is one of the most commonly used passwords. Please pick a less predictable one.",
    "badretype": "The two passwords you entered are not the same.",
    # validatepassword.
    "userexists": "This username is already taken.\nPlease pick another one.",
    # resetpassword.
    "apihelp-resetpassword-description-noroutes": "No password reset route is enabled; enable one in <var>$wgPasswordResetRoutes</var> to use this module.",
    "passwordreset-nodata": "Neither a username nor an email address was given",
    "passwordreset-invalidemail": "The email address is not valid",
    "passwordreset-emaildisabled": "This wiki does not send email.",
    "badaccess": "You are not allowed to do this.",
    # changeauthenticationdata, removeauthenticationdata.
    "apierror-mustbeloggedin-changeauthenticationdata": "Only logged-in users can change authentication data.",
    "apierror-mustbeloggedin-removeauth": "Only logged-in users can remove authentication data.",
    "apierror-reauthenticate": "You have not logged in recently in this session; please log in again.",
    "apierror-changeauth-norequest": "The change request could not be created.",
}
