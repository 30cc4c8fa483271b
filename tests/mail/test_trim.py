"""Reply extraction: only what a member wrote in an email reply is posted."""

import base64
import email
import re
from email import policy
from email.message import EmailMessage
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from goingsolo.mail.inbound.trim import (
    body_text_from_message,
    body_to_post,
    forward_hint,
    forwarded_subject,
    html_to_markdown,
    text_to_post,
    trim_reply,
)
from tests.support import missing_part

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpora" / "email-reply-trimmer"
CASES = Path(__file__).resolve().parent / "trim_cases"


def corpus_cases():
    emails = CORPUS / "emails"
    if not emails.is_dir():
        return ["no-corpus"]
    return sorted(path.stem for path in emails.glob("*.txt"))


def own_cases(suffix):
    return sorted(path.stem for path in CASES.glob(f"*{suffix}") if ".expected" not in path.name)


def expected(folder, name):
    return (folder / f"{name}.expected.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", corpus_cases())
def test_corpus_reply_keeps_what_the_fixture_keeps(name):
    if name == "no-corpus":
        missing_part(f"the email-reply-trimmer corpus is not at {CORPUS}")
    body = (CORPUS / "emails" / f"{name}.txt").read_text(encoding="utf-8")
    kept = (CORPUS / "trimmed" / f"{name}.txt").read_text(encoding="utf-8")
    assert trim_reply(body).strip() == kept.strip()


def test_corpus_has_its_64_cases():
    if not (CORPUS / "emails").is_dir():
        missing_part(f"the email-reply-trimmer corpus is not at {CORPUS}")
    assert len(corpus_cases()) == 64


@pytest.mark.parametrize("name", own_cases(".txt"))
def test_body_posts_what_the_member_wrote_and_forwards(name):
    body = (CASES / f"{name}.txt").read_text(encoding="utf-8")
    assert body_to_post(body).strip() == expected(CASES, name).strip()


@pytest.mark.parametrize("name", own_cases(".eml"))
def test_message_posts_what_the_member_wrote_and_forwards(name):
    message = (CASES / f"{name}.eml").read_bytes()
    assert text_to_post(message).strip() == expected(CASES, name).strip()


def test_there_are_at_least_twelve_own_cases():
    assert len(own_cases(".txt")) + len(own_cases(".eml")) >= 12


@pytest.mark.parametrize(
    "signature",
    [
        "Envoyé de mon iPhone",
        "Envoyé depuis mon mobile",
        "Envoyé depuis mon appareil Galaxy",
        "Obtenir Outlook pour Android",
        "Sent from my iPhone",
        "Sent from my Samsung Galaxy s5 Octacore device",
        "Sent from my cell, please excuse any typos.",
        "Sent from [Mail](https://go.microsoft.com/fwlink/?LinkId=550986) for Windows",
        "Get Outlook for iOS<https://aka.ms/o0ukef>",
        "Get [Outlook for Android](https://aka.ms/ghei36)",
        "(Sent from mobile device)",
        "<<sent by galaxy>>",
        "Von meinem iPhone gesendet",
        "Inviato da iPhone",
        "Enviado desde mi iPhone",
        "Verzonden met BlackBerry Work",
        "Sendt fra min iPad",
        "從我的 iPhone 傳送",
    ],
)
def test_client_signature_ends_the_reply(signature):
    body = f"Merci pour l'invitation.\n\n{signature}\n\nBlurb added by the mail client.\n"
    assert trim_reply(body) == "Merci pour l'invitation."


def test_sentence_that_starts_like_a_signature_is_kept():
    body = "From my point of view, Tuesday is better.\nSent invoices are in the folder.\n"
    assert trim_reply(body) == body.strip()


def test_crlf_line_endings_are_read_as_lines():
    body = "Oui pour samedi.\r\n\r\nLe 26/11/2026 à 10:02, Marie a écrit :\r\n> Samedi ?\r\n"
    assert trim_reply(body) == "Oui pour samedi."


def test_empty_and_blank_bodies_give_nothing():
    assert trim_reply("") == ""
    assert trim_reply("\n \n\t\n") == ""


def test_a_quote_answered_inline_keeps_its_quotes_and_drops_the_trailing_ones():
    body = (
        "> Tu viens samedi ?\n"
        "Oui.\n"
        "> Tu apportes quelque chose ?\n"
        "Des croissants.\n"
        "> Bises,\n"
        "> Marie\n"
    )
    assert trim_reply(body) == (
        "> Tu viens samedi ?\nOui.\n> Tu apportes quelque chose ?\nDes croissants."
    )


def test_hostile_input_is_trimmed_quickly():
    # Catastrophic backtracking would make this test hang rather than fail.
    nested = "".join(">" * depth + " On Thu, Apr 30, 2020 wrote:\n" for depth in range(1, 300))
    long_line = "On " + "1 " * 50_000 + "wrote"
    wrapped = "Le 26 nov. 2026 à 10:02, Marie\n" * 2000
    assert trim_reply(nested) == ""
    assert trim_reply(long_line) == long_line
    assert trim_reply(wrapped) == wrapped.strip()


# --- Messages ----------------------------------------------------------------------------


def message(headers, body):
    """Bytes of a message: headers as lines, a blank line, then the body bytes."""
    return "\r\n".join(headers).encode("ascii") + b"\r\n\r\n" + body


REPLY_HEADERS = [
    "From: Marie Dupont <marie@example.org>",
    "To: Going Solo <going-solo@goingsolo.example.org>",
    "Subject: =?utf-8?q?Re=3A_Ap=C3=A9ro_samedi?=",
    "Date: Thu, 26 Nov 2026 10:15:02 +0100",
    "Message-ID: <reply-1@example.org>",
    "MIME-Version: 1.0",
]


def test_multipart_alternative_posts_the_plain_text_part():
    raw = message(
        [*REPLY_HEADERS, 'Content-Type: multipart/alternative; boundary="b1"'],
        b"--b1\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"J'apporte le caf\xc3\xa9.\r\n\r\n"
        b"Le 26/11/2026 \xc3\xa0 10:02, Paul a \xc3\xa9crit :\r\n> Qui apporte quoi ?\r\n"
        b"--b1\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>HTML version</p>\r\n"
        b"--b1--\r\n",
    )
    assert text_to_post(raw) == "J'apporte le café."


def test_html_only_message_is_posted_as_markdown():
    raw = message(
        [*REPLY_HEADERS, "Content-Type: text/html; charset=utf-8"],
        "<p>Voir <a href='https://example.org/programme'>le programme</a>, "
        "<b>venez nombreux</b>.</p>"
        "<blockquote type='cite'>Le 26 nov. 2026 à 10:02, Paul a écrit :<br>Programme ?"
        "</blockquote>".encode(),
    )
    assert text_to_post(raw) == (
        "Voir [le programme](https://example.org/programme), **venez nombreux**."
    )


def test_latin1_message_is_decoded():
    raw = message(
        [*REPLY_HEADERS, "Content-Type: text/plain; charset=iso-8859-1"],
        "Ça marche, à samedi !\n".encode("latin-1"),
    )
    assert text_to_post(raw) == "Ça marche, à samedi !"


def test_message_in_another_charset_than_declared_is_decoded():
    raw = message(
        [*REPLY_HEADERS, "Content-Type: text/plain; charset=utf-8"],
        "Ça marche, à samedi !\n".encode("cp1252"),
    )
    assert text_to_post(raw) == "Ça marche, à samedi !"


def test_message_in_an_unknown_charset_is_decoded():
    raw = message(
        [*REPLY_HEADERS, "Content-Type: text/plain; charset=x-no-such-charset"],
        "Ça marche, à samedi !\n".encode(),
    )
    assert text_to_post(raw) == "Ça marche, à samedi !"


def test_base64_message_is_decoded():
    raw = message(
        [
            *REPLY_HEADERS,
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ],
        b"T3VpIHBvdXIgc2FtZWRpLgoKPiBRdWkgdmllbnQgc2FtZWRpID8K",  # Oui pour samedi. / > Qui…
    )
    assert text_to_post(raw) == "Oui pour samedi."


def test_quoted_printable_message_is_decoded():
    raw = message(
        [
            *REPLY_HEADERS,
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ],
        b"Je pr=C3=A9pare les badges, une ligne assez longue pour =\r\n=C3=AAtre coup=C3=A9e.\r\n",
    )
    assert text_to_post(raw) == "Je prépare les badges, une ligne assez longue pour être coupée."


def test_broken_base64_never_raises():
    raw = message(
        [
            *REPLY_HEADERS,
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ],
        b"T3VpIHBvdXIgc2FtZWRpL!!!*",
    )
    assert isinstance(text_to_post(raw), str)


def test_empty_plain_part_falls_back_to_the_html_part():
    raw = message(
        [*REPLY_HEADERS, 'Content-Type: multipart/alternative; boundary="b1"'],
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\r\n"
        b"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Oui pour samedi.</p>\r\n"
        b"--b1--\r\n",
    )
    assert text_to_post(raw) == "Oui pour samedi."


def test_text_attachment_is_not_the_body():
    raw = message(
        [*REPLY_HEADERS, 'Content-Type: multipart/mixed; boundary="b1"'],
        b"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Le devis est joint.</p>\r\n"
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b'Content-Disposition: attachment; filename="devis.txt"\r\n\r\nDevis 2026-11\r\n'
        b"--b1--\r\n",
    )
    assert text_to_post(raw) == "Le devis est joint."


def test_parsed_message_is_accepted():
    parsed = email.message_from_bytes(
        message([*REPLY_HEADERS, "Content-Type: text/plain"], b"Oui.\n"), policy=policy.default
    )
    assert body_text_from_message(parsed) == "Oui.\n"
    assert text_to_post(parsed) == "Oui."


# --- The command -------------------------------------------------------------------------


def run_mail_trim(path):
    out = StringIO()
    call_command("mail", "trim", str(path), stdout=out)
    return out.getvalue()


def test_mail_trim_command_prints_the_text_of_a_message():
    path = CASES / "outlook_fr_html.eml"
    assert run_mail_trim(path).strip() == expected(CASES, "outlook_fr_html").strip()


def test_mail_trim_command_prints_the_text_of_a_body():
    path = CASES / "gmail_fr.txt"
    assert run_mail_trim(path).strip() == expected(CASES, "gmail_fr").strip()


def test_mail_trim_command_reads_a_body_that_starts_like_headers_as_a_body(tmp_path):
    path = tmp_path / "body.txt"
    path.write_text("Objet : samedi\nOui pour samedi.\n", encoding="utf-8")
    assert run_mail_trim(path) == "Objet : samedi\nOui pour samedi.\n"


# --- Properties --------------------------------------------------------------------------

MAIL_LINES = st.sampled_from(
    [
        "",
        " ",
        ">",
        "> Qui vient samedi ?",
        ">> Ancien message",
        "Oui pour samedi.",
        "Merci !",
        "-- ",
        "________________",
        "Envoyé de mon iPhone",
        "Le 26 nov. 2026 à 10:02, Marie <marie@example.org> a écrit :",
        "Le jeu. 26 nov. 2026 à 10:02, Marie Dupont <marie@example.org> a",
        "écrit\u202f:",
        "> On Thu, Nov 26, 2026 at 10:02 AM Marie <marie@example.org> wrote:",
        "De : Marie Dupont <marie@example.org>",
        "Envoyé : jeudi 26 novembre 2026 10:02",
        "À : Going Solo",
        "Objet : Samedi",
        "-----Message d'origine-----",
        "```",
        "<",
        "mailto:marie@example.org",
    ]
)


def assert_kept_lines_come_from_the_input(text, kept):
    lines = iter(re.split(r"\r\n|\r|\n", text))
    for line in kept.split("\n") if kept else []:
        assert any(line == candidate for candidate in lines), line


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_trim_never_invents_text(text):
    assert_kept_lines_come_from_the_input(text, trim_reply(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(MAIL_LINES | st.text(max_size=30), max_size=30))
def test_trim_never_invents_text_in_mail_like_bodies(lines):
    text = "\n".join(lines)
    assert_kept_lines_come_from_the_input(text, trim_reply(text))


HTML_PIECES = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<blockquote>",
        "</blockquote>",
        '<div class="gmail_quote">',
        '<div class="gmail_attr">',
        '<div id="appendonsend">',
        '<div class="gmail_signature">',
        "<br>",
        "<hr>",
        "<b>",
        "</b>",
        "<style>",
        "</style>",
        "&nbsp;",
        "&eacute;",
        "&#8217;",
        "&lt;",
        "<!--",
        "-->",
        "<",
        ">",
        "Oui pour samedi.",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(HTML_PIECES | st.text(max_size=10), max_size=30))
def test_any_html_body_converts(pieces):
    assert isinstance(html_to_markdown("".join(pieces)), str)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["utf-8", "latin-1", "x-bogus", "base64", ""]))
def test_any_message_gives_text(body, charset):
    raw = message([*REPLY_HEADERS, f"Content-Type: text/plain; charset={charset}"], body)
    assert isinstance(text_to_post(raw), str)


# --- Forwards ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "answers", "hint"),
    [
        ("Fwd: Appel d’offres", False, True),
        ("Fw: Call for tenders", False, True),
        ("TR : Appel d’offres", False, True),
        ("WG: Ausschreibung", False, True),
        ("RV: Licitación", False, True),
        ("[Going Solo] Fwd: Salon", False, True),
        ("[Fwd: Appel d’offres]", False, True),
        # "Fwd:" first: a forward, even when the client links it to the forwarded message.
        ("Fwd: Re: Appel d’offres", True, True),
        # A reply to a forward is a reply.
        ("Re: Fwd: Appel d’offres", True, False),
        ("Re: Appel d’offres", True, False),
        # Nothing said: the body decides.
        ("Appel d’offres", False, None),
        ("Forward planning: Q1", False, None),
        ("Travaux : la salle est fermée", False, None),
        ("", False, None),
    ],
)
def test_headers_tell_a_forward_from_a_reply(subject, answers, hint):
    assert forward_hint(subject=subject, answers=answers) is hint


GMAIL_FORWARD = (
    "Pour info.\n"
    "\n"
    "---------- Forwarded message ---------\n"
    "From: Mairie <marches@example.org>\n"
    "Date: Mon, Nov 30, 2026 at 9:15 AM\n"
    "Subject: Appel d’offres\n"
    "To: <sophie@example.org>\n"
    "\n"
    "La médiathèque lance un appel d’offres.\n"
)


def test_a_forward_banner_keeps_the_forward_unless_the_message_answers_another():
    kept = (
        "Pour info.\n"
        "\n"
        "---------- Forwarded message ---------\n"
        "From: Mairie <marches@example.org>\n"
        "Date: Mon, Nov 30, 2026 at 9:15 AM\n"
        "Subject: Appel d’offres\n"
        "\n"
        "La médiathèque lance un appel d’offres."
    )
    assert body_to_post(GMAIL_FORWARD) == kept
    assert body_to_post(GMAIL_FORWARD, forward=True) == kept
    assert body_to_post(GMAIL_FORWARD, forward=False) == "Pour info."
    # The public corpus's rules, for replies: what follows the banner is history.
    assert trim_reply(GMAIL_FORWARD) == "Pour info."


OUTLOOK_HISTORY = (
    "Voir ci-dessous.\n"
    "\n"
    "De\u00a0: Mairie <marches@example.org>\n"
    "Envoyé\u00a0: lundi 30 novembre 2026 09:15\n"
    "À\u00a0: Sophie <sophie@example.org>\n"
    "Objet\u00a0: Appel d’offres\n"
    "\n"
    "La médiathèque lance un appel d’offres.\n"
)


def test_outlooks_header_block_is_a_forward_only_when_the_subject_says_so():
    # Outlook writes the same block above a reply's history and above a forward.
    assert body_to_post(OUTLOOK_HISTORY) == "Voir ci-dessous."
    assert body_to_post(OUTLOOK_HISTORY, forward=True) == (
        "Voir ci-dessous.\n"
        "\n"
        "De\u00a0: Mairie <marches@example.org>\n"
        "Envoyé\u00a0: lundi 30 novembre 2026 09:15\n"
        "Objet\u00a0: Appel d’offres\n"
        "\n"
        "La médiathèque lance un appel d’offres."
    )


def test_a_quoted_forward_banner_under_a_quote_is_history():
    body = (
        "> Je transfère l’appel d’offres.\n"
        "\n"
        "Merci !\n"
        "\n"
        "> ---------- Forwarded message ---------\n"
        "> From: Mairie <marches@example.org>\n"
        "> Subject: Appel d’offres\n"
    )
    assert body_to_post(body) == "> Je transfère l’appel d’offres.\n\nMerci !"


def test_a_forward_with_a_long_recipient_list_leaves_every_recipient_out():
    body = (
        "---------- Forwarded message ---------\n"
        "From: Mairie <marches@example.org>\n"
        "Date: Mon, Nov 30, 2026 at 9:15 AM\n"
        "Subject: Appel d’offres\n"
        "To: <a@example.org>, <b@example.org>,\n"
        " <c@example.org>, <d@example.org>\n"
        "Cc: <e@example.org>\n"
        "\n"
        "Texte.\n"
    )
    assert "@example.org>," not in body_to_post(body)
    assert body_to_post(body).endswith("Subject: Appel d’offres\n\nTexte.")


def test_the_forwarded_subject_is_read_from_a_post():
    assert forwarded_subject(body_to_post(GMAIL_FORWARD)) == "Appel d’offres"
    assert forwarded_subject("Bonjour.\n\nSubject: pas un transfert") == ""


def forward_as_attachment(*, content_language=None, inner_parts=None):
    outer = EmailMessage()
    outer["From"] = "Sophie Bernard <sophie@example.org>"
    outer["To"] = "going-solo@goingsolo.example.org"
    outer["Subject"] = "Fwd: Appel d’offres"
    outer.set_content("Voici l’appel d’offres.\n")
    inner = EmailMessage()
    inner["From"] = "Mairie de Lyon <marches@example.org>"
    inner["To"] = "Sophie Bernard <sophie@example.org>"
    inner["Subject"] = "Appel d’offres"
    inner["Date"] = "Mon, 30 Nov 2026 09:15:00 +0100"
    inner.set_content("La médiathèque lance un appel d’offres.\n")
    for part in inner_parts or []:
        inner.make_mixed()
        inner.attach(part)
    outer.add_attachment(inner)
    if content_language:  # on the message itself, as Outlook and Thunderbird write it
        outer["Content-Language"] = content_language
    return outer


def test_a_message_forwarded_as_attachment_is_shown_in_the_active_language_by_default():
    message = forward_as_attachment()
    with translation.override("fr"):
        french = text_to_post(message.as_bytes())
    with translation.override("en"):
        english = text_to_post(message.as_bytes())
    assert french == (
        "Voici l’appel d’offres.\n"
        "\n"
        "---------- Message transféré ----------\n"
        "De\u00a0: Mairie de Lyon <marches@example.org>\n"
        "Date\u00a0: 30 nov. 2026 à 9\u00a0h\u00a015\n"
        "Objet\u00a0: Appel d’offres\n"
        "\n"
        "La médiathèque lance un appel d’offres."
    )
    assert "---------- Forwarded message ----------\nFrom: Mairie de Lyon" in english
    assert "Date: 30 Nov 2026, 09:15\nSubject: Appel d’offres" in english


def test_a_message_forwarded_as_attachment_takes_the_language_the_message_declares():
    message = forward_as_attachment(content_language="fr-FR")
    with translation.override("en"):
        assert "---------- Message transféré ----------" in text_to_post(message.as_bytes())
    unknown = forward_as_attachment(content_language="tlh")
    with translation.override("en"):
        assert "---------- Forwarded message ----------" in text_to_post(unknown.as_bytes())


def test_a_message_attached_to_a_forwarded_message_is_shown_under_it():
    nested = EmailMessage()
    nested["From"] = "Région <region@example.org>"
    nested["Subject"] = "Cahier des charges"
    nested.set_content("Le cahier des charges complet.\n")
    holder = EmailMessage()
    holder.add_attachment(nested)
    [attached_nested] = list(holder.iter_attachments())
    message = forward_as_attachment(inner_parts=[attached_nested])
    with translation.override("en"):
        text = text_to_post(message.as_bytes())
    assert text.index("Subject: Appel d’offres") < text.index("Subject: Cahier des charges")
    assert text.endswith("Subject: Cahier des charges\n\nLe cahier des charges complet.")


def test_a_base64_attached_message_is_read():
    inner = (
        b"From: Mairie <marches@example.org>\r\nSubject: Appel\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nTexte de l'appel.\r\n"
    )
    raw = message(
        [*REPLY_HEADERS, 'Content-Type: multipart/mixed; boundary="b1"'],
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVoir la pi\xc3\xa8ce jointe.\r\n"
        b"--b1\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(inner)
        + b"--b1--\r\n",
    )
    with translation.override("en"):
        assert text_to_post(raw) == (
            "Voir la pièce jointe.\n\n---------- Forwarded message ----------\n"
            "From: Mairie <marches@example.org>\nSubject: Appel\n\nTexte de l'appel."
        )


def test_at_most_five_attached_messages_are_shown():
    message = forward_as_attachment()
    for number in range(7):
        extra = EmailMessage()
        extra["Subject"] = f"Pièce {number}"
        extra.set_content("Texte.\n")
        message.add_attachment(extra)
    assert text_to_post(message.as_bytes()).count("----------\n") == 5


def test_a_body_that_is_only_an_attached_message_is_not_read_as_the_members_text():
    message = forward_as_attachment()
    message.get_payload()[0].set_content("")  # no note of the member's
    with translation.override("en"):
        text = text_to_post(message.as_bytes())
    assert text.startswith("---------- Forwarded message ----------\nFrom: Mairie de Lyon")


# --- Short attributions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "attribution",
    [
        "Tom wrote:",
        "Stéphanie a écrit\u00a0:",
        "Tom <tom@example.org> wrote:",
        '"Marie Dupont" a écrit :',
        "«\u00a0Marie\u00a0» a écrit :",
        "Marie Dupont [mailto:marie@example.org] a écrit :",
        "Jean de La Fontaine a écrit :",
        "Le 3 déc., Stéphanie a écrit\u202f:",
        "On Tuesday, Tom wrote:",
        "Max Mustermann schrieb:",
        "Am Montag schrieb Max:",
        "Tom escribió:",
        "El martes, Tom escribió:",
    ],
)
def test_a_short_attribution_above_a_quote_goes_with_the_quote(attribution):
    body = f"Oui, je viens.\n\n{attribution}\n> Tu viens samedi ?\n"
    assert body_to_post(body) == "Oui, je viens."
    assert trim_reply(body) == "Oui, je viens."


@pytest.mark.parametrize(
    "sentence",
    [
        "As I wrote:",
        "I wrote:",
        "Paul and I wrote:",
        "Here is what Tom wrote:",
        "Voici ce que Marie a écrit :",
        "Comme Paul a écrit :",
        "Le programme, Marie a écrit :",
        "On the list, Tom wrote:",
        "tom wrote:",
    ],
)
def test_a_sentence_ending_in_wrote_is_kept_with_the_quote_it_introduces(sentence):
    body = f"Bonjour,\n\n{sentence}\n> Le rendez-vous est à 9 h.\n\nJ’y serai.\n"
    assert body_to_post(body) == body.strip()


def test_a_short_attribution_followed_by_the_members_own_text_is_kept():
    body = "Stéphanie a écrit :\nun très bon article, lisez-le.\n"
    assert body_to_post(body) == body.strip()


def test_mail_trim_command_prints_a_forward_from_a_message_and_from_a_body():
    for name in ("outlook_forward_fr", "thunderbird_forward_fr"):
        path = CASES / f"{name}.eml" if (CASES / f"{name}.eml").exists() else CASES / f"{name}.txt"
        assert run_mail_trim(path).strip() == expected(CASES, name).strip()


ONE_QUOTE_LEVEL = re.compile(r"^[ \t]*>[ \t]?")


def assert_posted_lines_come_from_the_input(text, posted):
    """Each line posted is a line of TEXT, or one with a level of quoting removed (a
    quoted forward), or a blank line."""
    lines = re.split(r"\r\n|\r|\n", text)
    allowed = set(lines) | {ONE_QUOTE_LEVEL.sub("", line, count=1) for line in lines}
    for line in posted.split("\n") if posted else []:
        assert not line.strip() or line in allowed, line


FORWARD_LINES = st.sampled_from(
    [
        "---------- Forwarded message ---------",
        "> Begin forwarded message:",
        "-------- Message transféré --------",
        "-----Original Message-----",
        "From: Mairie <marches@example.org>",
        "Subject: Appel",
        "To: <a@example.org>",
        "> De: Marie",
        "Tom wrote:",
        "Stéphanie a écrit :",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(MAIL_LINES | FORWARD_LINES | st.text(max_size=30), max_size=30),
    st.sampled_from([True, False, None]),
)
def test_posting_a_body_never_invents_text(lines, forward):
    text = "\n".join(lines)
    assert_posted_lines_come_from_the_input(text, body_to_post(text, forward=forward))


def test_hostile_forwards_and_attributions_are_handled_quickly():
    # Quadratic work would make this test hang rather than fail.
    attributions = "Tom wrote:\n" * 5_000
    headers = "---------- Forwarded message ---------\n" + "From: Mairie\n" * 5_000
    banners = "---------- Forwarded message ---------\n" * 5_000
    # Each is followed by text, but the last: nothing follows it.
    assert body_to_post(attributions) == attributions.strip().rsplit("\n", 1)[0]
    assert body_to_post(headers).startswith("---------- Forwarded message ---------\nFrom")
    assert body_to_post(banners).startswith("---------- Forwarded message ---------")
    assert forwarded_subject(banners) == ""


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("outlook_forward_fr", "Appel d’offres : refonte du site de la médiathèque"),
        ("outlook_forward_fr_html", "Appel d’offres : refonte du site"),
        ("apple_mail_forward_fr_html", "Appel d’offres pour le festival"),
        ("thunderbird_forward_en_html", "Call for tenders: library website"),
        ("reply_to_forward_fr", ""),
    ],
)
def test_the_forwarded_subject_is_read_from_the_post_of_every_client(name, subject):
    assert forwarded_subject(text_to_post((CASES / f"{name}.eml").read_bytes())) == subject
