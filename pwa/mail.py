"""Sending email over SMTP (the standard library's smtplib), for the operator who configures a
server with HALLWAY_SMTP_URL: smtp:// (plain, or loopback), smtps:// (TLS from the first byte)
or smtp+starttls:// (upgraded with STARTTLS), with user:password@ when the server wants them
(read by config.SmtpServer)."""

import logging
import smtplib
import ssl

log = logging.getLogger(__name__)

#: Seconds to wait for the server at each step.
TIMEOUT = 10


def send_all(server, messages, timeout=TIMEOUT):
    """Send EmailMessages over one connection; return the error (a sentence) for each message,
    None for those the server accepted. A server that cannot be reached fails them all."""
    errors, handed = [None] * len(messages), 0
    try:
        with _connect(server, timeout) as smtp:
            for index, message in enumerate(messages):
                try:
                    smtp.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as e:
                    errors[index] = f"the mail server refused it ({e})"
                except smtplib.SMTPDataError as e:
                    errors[index] = f"the mail server refused it ({e.smtp_code})"
                handed = index + 1
    except (OSError, smtplib.SMTPException) as e:
        log.warning("email: the mail server %s:%s failed: %s", server.host, server.port, e)
        for index in range(handed, len(messages)):
            errors[index] = f"the mail server failed ({e})"
    return errors


def _connect(server, timeout):
    """An SMTP connection, secured and signed in as the URL says."""
    context = ssl.create_default_context()
    if server.security == "tls":
        smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=timeout)
    try:
        if server.security == "starttls":
            smtp.starttls(context=context)
        if server.username:
            smtp.login(server.username, server.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp
