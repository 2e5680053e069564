"""Outgoing mail: message builders, transports, and the background mailer."""

from wikigate.mail.mailer import Mailer, SmtpSecurity, mailer_from_settings
from wikigate.mail.messages import password_reset_mail
from wikigate.mail.transports import OutboxTransport, SmtpTransport, Transport

__all__ = [
    "Mailer",
    "OutboxTransport",
    "SmtpSecurity",
    "SmtpTransport",
    "Transport",
    "mailer_from_settings",
    "password_reset_mail",
]
