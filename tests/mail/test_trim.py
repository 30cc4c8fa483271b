"""Reply extraction: only what a member wrote in an email reply is posted."""

import email
import re
from email import policy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from goingsolo.mail.trim import (
    body_text_from_message,
    body_to_post,
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
