"""Builders for the mails wikigate sends.

A builder only writes the message: who it is for, its subject and its text.
Stamping (Date, Message-ID) and delivery belong to the mailer and transports.
"""

from __future__ import annotations

from email.message import EmailMessage


def password_reset_mail(
    *,
    sitename: str,
    server_url: str,
    to: str,
    requester_ip: str,
    accounts: list[tuple[str, str]],
    expiry_days: int,
    sender: str,
) -> EmailMessage:
    """The mail carrying temporary passwords after `action=resetpassword`.

    `accounts` holds (user name, temporary password) pairs: a reset by email
    address covers every account registered with that address, so one mail
    may list several. `server_url` is where the reader goes to log in.
    """
    if not accounts:
        raise ValueError("a password reset mail needs at least one account")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"Account details on {sitename}"
    body = _password_reset_body(
        sitename=sitename,
        server_url=server_url,
        requester_ip=requester_ip,
        accounts=accounts,
        expiry_days=expiry_days,
    )
    # Quoted-printable keeps non-ASCII user names intact through relays
    # that do not announce 8BITMIME.
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message


def _password_reset_body(
    *,
    sitename: str,
    server_url: str,
    requester_ip: str,
    accounts: list[tuple[str, str]],
    expiry_days: int,
) -> str:
    if len(accounts) == 1:
        listing = "Your account and its new temporary password:"
    else:
        listing = "Several accounts use this email address; each has its own\ntemporary password:"
    entries = "\n\n".join(
        f"User name: {name}\nTemporary password: {password}" for name, password in accounts
    )
    days = "1 day" if expiry_days == 1 else f"{expiry_days} days"
    return (
        f"Someone, most likely you, asked for a new password for your account\n"
        f"on {sitename}. The request came from the IP address {requester_ip}.\n"
        f"\n"
        f"{listing}\n"
        f"\n"
        f"{entries}\n"
        f"\n"
        f"A temporary password stops working after {days}. Log in at\n"
        f"{server_url}\n"
        f"with it now and pick a new password of your own.\n"
        f"\n"
        f"If you did not ask for this, or your old password came back to you,\n"
        f"you can ignore this mail: your current password keeps working.\n"
    )
