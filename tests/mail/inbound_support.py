"""Messages as mail clients write them, for the inbound mail tests."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.utils import timezone

from goingsolo.mail.inbound.parsing import parse_message
from goingsolo.mail.inbound.services import inbound_store
from tests.support import dkim_sign

DOMAIN_OF_MEMBERS = "example.org"


def signed_by_sender(raw, **options):
    """RAW as the sender's mail provider sends it: DKIM-signed by the domain of its From
    address, the key served by the test's DNS (tests/support.py), so the sender is proven."""
    domain = parse_message(raw).from_address.rpartition("@")[2]
    return dkim_sign(raw, domain=domain, **options)


def receive(
    django_capture_on_commit_callbacks, message, recipients=None, mail_from=None, *, signed=True
):
    """Stores MESSAGE as the listener would, and runs what follows (the job, emails).

    SIGNED: with the DKIM signature of the From address's domain, whose key the test's DNS
    serves, so that the sender is proven.
    """
    raw = message if isinstance(message, bytes) else message.as_bytes()
    if signed:
        raw = signed_by_sender(raw)
    if recipients is None:
        recipients = [message["To"]]
    with django_capture_on_commit_callbacks(execute=True):
        stored = inbound_store(
            raw=raw, mail_from=mail_from or "someone@example.org", recipients=recipients
        )
    stored.refresh_from_db()
    return stored


def group_address(group):
    return f"{group.slug}@{settings.GOINGSOLO_MAIL_DOMAIN}"


def plain_message(
    *,
    sender,
    to,
    subject="Hello",
    body="A first message.",
    message_id=None,
    headers=None,
    in_reply_to=None,
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain=DOMAIN_OF_MEMBERS)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def gmail_french_reply(*, sender, to, subject, new_text, quoted_author="Paul Martin"):
    """A reply as Gmail writes it in French: text and HTML, the quote under an
    attribution with no-break spaces."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"Re: {subject}"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="mail.gmail.com")
    attribution = (
        f"Le\u00a0jeu. 26 nov. 2026 à\u00a010:02, {quoted_author} "
        f"<paul.martin@{DOMAIN_OF_MEMBERS}> a écrit\u202f:"
    )
    message.set_content(
        f"{new_text}\n\nMarie\n\n{attribution}\n\n> Qui apporte le petit-déjeuner samedi ?\n>\n> Paul\n"
    )
    message.add_alternative(
        f'<div dir="ltr"><div>{new_text}</div><div><br></div><div>Marie</div></div><br>'
        '<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">'
        f"{attribution}<br></div>"
        '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">'
        '<div dir="ltr">Qui apporte le petit-déjeuner samedi ?<div><br></div><div>Paul</div>'
        "</div></blockquote></div>",
        subtype="html",
    )
    return message


def outlook_english_reply(*, sender, to, subject, new_text):
    """A reply as Outlook writes it in English: the history under a From/Sent/To block."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"RE: {subject}"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="outlook.com")
    message["Thread-Topic"] = subject
    message.set_content(
        f"{new_text}\n\nJohn\n\n"
        "Sent from Outlook for iOS<https://aka.ms/o0ukef>\n"
        "________________________________\n"
        f"From: Going Solo <noreply@{settings.GOINGSOLO_MAIL_DOMAIN}>\n"
        "Sent: Thursday, November 26, 2026 10:02:11 AM\n"
        f"To: John <john@{DOMAIN_OF_MEMBERS}>\n"
        f"Subject: {subject}\n\n"
        "Who brings breakfast on Saturday?\n"
    )
    message.add_alternative(
        f'<html><body><div dir="ltr">{new_text}</div><div>John</div>'
        '<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr">'
        f"<b>From:</b> Going Solo &lt;noreply@{settings.GOINGSOLO_MAIL_DOMAIN}&gt;<br>"
        "<b>Sent:</b> Thursday, November 26, 2026 10:02:11 AM<br>"
        f"<b>Subject:</b> {subject}</div><div>Who brings breakfast on Saturday?</div>"
        "</body></html>",
        subtype="html",
    )
    return message


def delivery_report(*, to, recipient, status="5.1.1", action="failed", diagnostic=None):
    """A DSN (RFC 3464) as Postfix writes it."""
    diagnostic = diagnostic or f"smtp; 550 {status} <{recipient}>: Recipient address rejected"
    raw = (
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
        f"To: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.example.net')}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n"
        "--B\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
        "--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n"
        "Arrival-Date: Thu, 26 Nov 2026 10:02:11 +0100\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Original-Recipient: rfc822;{recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: {diagnostic}\r\n\r\n"
        "--B\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"From: Going Solo <noreply@{settings.GOINGSOLO_MAIL_DOMAIN}>\r\n"
        "Subject: [Going Solo] Hello\r\n\r\n"
        "--B--\r\n"
    )
    return raw.encode()
