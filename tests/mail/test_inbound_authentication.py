"""Who proves a sender: DKIM, SPF, DMARC alignment, and the receiving server's
Authentication-Results — each checked here against local DNS records (tests/support.py).
Nothing that goes wrong raises: the sender is simply not proven."""

import base64
import ipaddress
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.checks import run_checks
from django.db import connection

from goingsolo.mail.inbound import authentication
from goingsolo.mail.inbound.authentication import (
    Envelope,
    Lookups,
    organisational_domain,
    sender_verdict,
    spf_check,
)
from goingsolo.mail.inbound.parsing import parse_message
from tests.factories import GroupFactory, member_of
from tests.support import dkim_sign

from .inbound_support import plain_message

MARIE = "Marie Dupont <marie@example.org>"
GROUP = "going-solo@goingsolo.localhost"


def verdict(raw, **envelope):
    return sender_verdict(raw=raw, parsed=parse_message(raw), envelope=Envelope(**envelope))


def message(sender=MARIE, **fields):
    return plain_message(sender=sender, to=GROUP, **fields).as_bytes()


# --- DKIM -----------------------------------------------------------------------------------


def test_a_valid_signature_of_the_from_domain_proves_the_sender(local_dns):
    result = verdict(dkim_sign(message(), domain="example.org"))
    assert (result.proven, result.by) == (True, "dkim")
    assert "dkim=pass (d=example.org, aligned)" in result.summary


def test_a_signature_broken_on_the_way_proves_nothing(local_dns):
    signed = dkim_sign(message(body="Meet at 10 am."), domain="example.org")
    tampered = signed.replace(b"at 10 am", b"at 11 am")
    result = verdict(tampered)
    assert not result.proven
    assert "dkim=fail (ValidationError: body hash mismatch" in result.summary


def test_a_missing_key_record_proves_nothing_and_raises_nothing(local_dns):
    result = verdict(dkim_sign(message(), domain="example.org", publish=False))
    assert not result.proven and "dkim=fail" in result.summary


def test_a_malformed_key_record_proves_nothing_and_raises_nothing(local_dns):
    signed = dkim_sign(message(), domain="example.org")
    local_dns.set("mail._domainkey.example.org", "TXT", ["v=DKIM1; k=rsa; p=AAAA!!not-a-key"])
    assert not verdict(signed).proven
    local_dns.set("mail._domainkey.example.org", "TXT", ["garbage without tags"])
    assert not verdict(signed).proven


def test_a_key_that_is_not_the_signers_proves_nothing(local_dns):
    signed = dkim_sign(message(), domain="example.org")
    other = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    public = other.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    local_dns.set(
        "mail._domainkey.example.org",
        "TXT",
        ["v=DKIM1; k=rsa; p=" + base64.b64encode(public).decode()],
    )
    result = verdict(signed)
    assert not result.proven and "dkim=fail" in result.summary


def test_a_key_look_up_that_times_out_proves_nothing(local_dns):
    signed = dkim_sign(message(), domain="example.org")
    local_dns.time_out("mail._domainkey.example.org")
    result = verdict(signed)
    assert not result.proven
    assert "timed out" in result.summary


def test_a_signature_of_another_domain_is_not_aligned(local_dns):
    result = verdict(dkim_sign(message(), domain="mailer.example.net"))
    assert not result.proven
    assert "dkim=pass (d=mailer.example.net, not aligned with example.org)" in result.summary


def test_a_signature_with_a_body_length_is_not_trusted(local_dns):
    result = verdict(dkim_sign(message(), domain="example.org", length=True))
    assert not result.proven and "with l=, not trusted" in result.summary


def test_a_message_without_signature_or_envelope_is_not_proven(local_dns):
    result = verdict(message())
    assert not result.proven
    assert result.summary.startswith("not proven; dkim: no signature; spf: client address")


# --- SPF ------------------------------------------------------------------------------------

CLIENT = "192.0.2.7"


def spf(local_dns, record, address=CLIENT, domain="example.org", sender="marie@example.org"):
    local_dns.set(domain, "TXT", [record, "google-site-verification=abc"])
    return spf_check(
        ipaddress.ip_address(address),
        domain,
        sender=sender,
        helo="mx.example.org",
        lookups=Lookups(),
    )


def test_spf_passes_fails_or_says_none_by_the_domains_record(local_dns):
    assert spf(local_dns, "v=spf1 ip4:192.0.2.0/24 -all") == "pass"
    assert spf(local_dns, "v=spf1 ip4:192.0.2.0/24 -all", address="198.51.100.1") == "fail"
    assert spf(local_dns, "v=spf1 ip4:192.0.2.0/24 ~all", address="198.51.100.1") == "softfail"
    assert spf(local_dns, "v=spf1 ?all") == "neutral"
    local_dns.set("example.org", "TXT", ["not spf"])
    assert (
        spf_check(
            ipaddress.ip_address(CLIENT), "example.org", sender="", helo="", lookups=Lookups()
        )
        == "none"
    )


def test_spf_follows_include_a_mx_exists_and_redirect(local_dns):
    local_dns.set(
        "_spf.provider.example", "TXT", ["v=spf1 ip6:2001:db8::/32 ip4:203.0.113.0/24 -all"]
    )
    assert spf(local_dns, "v=spf1 include:_spf.provider.example -all", "203.0.113.9") == "pass"
    assert spf(local_dns, "v=spf1 include:_spf.provider.example -all", "2001:db8::25") == "pass"
    local_dns.set("example.org", "A", ["192.0.2.7"])
    assert spf(local_dns, "v=spf1 a -all") == "pass"
    local_dns.set("example.org", "MX", ["mx1.example.org"])
    local_dns.set("mx1.example.org", "A", ["198.51.100.25"])
    assert spf(local_dns, "v=spf1 mx/24 -all", "198.51.100.99") == "pass"
    local_dns.set("7.2.0.192.allow.example.org", "A", ["127.0.0.2"])
    assert spf(local_dns, "v=spf1 exists:%{ir}.allow.%{d} -all") == "pass"
    local_dns.set("spf.example.net", "TXT", ["v=spf1 ip4:192.0.2.7 -all"])
    assert spf(local_dns, "v=spf1 redirect=spf.example.net") == "pass"
    assert spf(local_dns, "v=spf1 redirect=spf.example.net", "198.51.100.1") == "fail"


def test_spf_errors_are_errors_not_exceptions(local_dns):
    local_dns.time_out("_spf.provider.example")
    assert spf(local_dns, "v=spf1 include:_spf.provider.example -all") == "temperror"
    many = " ".join(f"include:i{n}.example.org" for n in range(11))
    for n in range(11):
        local_dns.set(f"i{n}.example.org", "TXT", ["v=spf1 -all"])
    assert spf(local_dns, f"v=spf1 {many} -all") == "permerror"
    assert spf(local_dns, "v=spf1 ip4:not-an-address -all") == "permerror"
    assert spf(local_dns, "v=spf1 frobnicate -all") == "permerror"
    local_dns.set("example.org", "TXT", ["v=spf1 -all", "v=spf1 +all"])
    assert (
        spf_check(
            ipaddress.ip_address(CLIENT),
            "example.org",
            sender="marie@example.org",
            helo="",
            lookups=Lookups(),
        )
        == "permerror"
    )


def test_spf_pass_for_the_from_domain_proves_the_sender(local_dns):
    local_dns.set("example.org", "TXT", ["v=spf1 ip4:192.0.2.7 -all"])
    result = verdict(message(), client_address=CLIENT, mail_from="marie@example.org", helo="mx")
    assert (result.proven, result.by) == (True, "spf")
    failed = verdict(message(), client_address="198.51.100.1", mail_from="marie@example.org")
    assert not failed.proven and "spf=fail" in failed.summary


def test_spf_for_a_null_sender_checks_the_helo_name(local_dns):
    local_dns.set("mx.example.org", "TXT", ["v=spf1 ip4:192.0.2.7 -all"])
    result = verdict(message(), client_address=CLIENT, mail_from="", helo="mx.example.org")
    assert (result.proven, result.by) == (True, "spf")


def test_spf_pass_for_another_domain_does_not_prove_the_from_address(local_dns):
    local_dns.set("bounces.mailer.example.net", "TXT", ["v=spf1 ip4:192.0.2.7 -all"])
    result = verdict(message(), client_address=CLIENT, mail_from="x@bounces.mailer.example.net")
    assert not result.proven and "spf=pass" in result.summary


# --- DMARC alignment ---------------------------------------------------------------------


def test_the_organisational_domain_comes_from_the_public_suffix_list():
    assert organisational_domain("mail.example.co.uk") == "example.co.uk"
    assert organisational_domain("a.b.example.org") == "example.org"
    assert organisational_domain("co.uk") == "co.uk"


def test_alignment_is_relaxed_without_a_dmarc_record(local_dns):
    result = verdict(dkim_sign(message(), domain="mail.example.org"))
    assert result.proven
    assert "no dmarc record (relaxed alignment)" in result.summary


def test_a_strict_dmarc_record_asks_for_the_exact_domain(local_dns):
    local_dns.set("_dmarc.example.org", "TXT", ["v=DMARC1; p=reject; adkim=s; aspf=s"])
    assert not verdict(dkim_sign(message(), domain="mail.example.org")).proven
    assert verdict(dkim_sign(message(), domain="example.org")).proven
    local_dns.set("bounces.example.org", "TXT", ["v=spf1 ip4:192.0.2.7 -all"])
    spf_only = verdict(message(), client_address=CLIENT, mail_from="b@bounces.example.org")
    assert not spf_only.proven and "aspf=s" in spf_only.summary


def test_a_relaxed_dmarc_record_accepts_a_subdomain(local_dns):
    local_dns.set("_dmarc.example.org", "TXT", ["v=DMARC1; p=quarantine; adkim=r"])
    local_dns.set("bounces.example.org", "TXT", ["v=spf1 ip4:192.0.2.7 -all"])
    assert verdict(dkim_sign(message(), domain="mail.example.org")).proven
    assert verdict(message(), client_address=CLIENT, mail_from="b@bounces.example.org").proven


def test_a_subdomain_sender_uses_the_organisational_domains_record(local_dns):
    local_dns.set("_dmarc.example.org", "TXT", ["v=DMARC1; p=none; adkim=s"])
    raw = message(sender="Marie <marie@news.example.org>")
    assert not verdict(dkim_sign(raw, domain="example.org")).proven
    assert verdict(dkim_sign(raw, domain="news.example.org")).proven


def test_alignment_is_strict_when_the_dmarc_record_cannot_be_read(local_dns):
    local_dns.time_out("_dmarc.example.org")
    result = verdict(dkim_sign(message(), domain="mail.example.org"))
    assert not result.proven and "(strict alignment)" in result.summary


# --- The receiving server's Authentication-Results ---------------------------------------


def test_authentication_results_are_read_from_the_configured_server_only(settings, local_dns):
    settings.GOINGSOLO_MAIL_AUTHSERV_ID = "mx.goingsolo.example"
    ours = {"Authentication-Results": "mx.goingsolo.example; dmarc=pass header.from=example.org"}
    forged = {"Authentication-Results": "mx.elsewhere.example; dmarc=pass header.from=example.org"}
    assert verdict(message(headers=ours)).by == "authentication-results"
    result = verdict(message(headers=forged))
    assert not result.proven and "no authentication-results of mx.goingsolo.example" in (
        result.summary
    )


def test_without_a_configured_server_no_authentication_results_is_believed(settings, local_dns):
    settings.GOINGSOLO_MAIL_AUTHSERV_ID = ""
    headers = {"Authentication-Results": "mx.goingsolo.example; dmarc=pass"}
    assert not verdict(message(headers=headers)).proven


def test_the_servers_dkim_or_spf_pass_counts_when_aligned(settings, local_dns):
    settings.GOINGSOLO_MAIL_AUTHSERV_ID = "mx.goingsolo.example"

    def results(text):
        return verdict(message(headers={"Authentication-Results": f"mx.goingsolo.example; {text}"}))

    # No DMARC record at the domain: the server says dmarc=none, its DKIM result still counts.
    assert results("dkim=pass header.d=example.org; dmarc=none").proven
    assert results("spf=pass smtp.mailfrom=marie@example.org; dkim=none").proven
    assert not results("spf=pass smtp.mailfrom=x@elsewhere.example; dmarc=fail").proven
    assert not results("dkim=fail header.d=example.org; dmarc=fail").proven


def test_spf_is_left_to_the_receiving_server_when_there_is_one(settings, local_dns):
    settings.GOINGSOLO_MAIL_AUTHSERV_ID = "mx.goingsolo.example"
    local_dns.set("example.org", "TXT", ["v=spf1 ip4:127.0.0.1 -all"])
    result = verdict(message(), client_address="127.0.0.1", mail_from="marie@example.org")
    assert not result.proven and "spf: not evaluated" in result.summary


# --- The resolver --------------------------------------------------------------------------


@pytest.fixture
def dns_server():
    """A DNS server on the loopback that answers TXT questions from a dict, or not at all
    (a name mapped to None), for the default resolver (dnspython)."""
    answers = {}
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except OSError:
                continue
            query = dns.message.from_wire(data)
            question = query.question[0]
            name = question.name.to_text(omit_final_dot=True)
            if name in answers and answers[name] is None:
                continue  # silence: the client times out
            reply = dns.message.make_response(query)
            if name in answers and question.rdtype == dns.rdatatype.TXT:
                reply.answer.append(
                    dns.rrset.from_text(question.name, 60, "IN", "TXT", f'"{answers[name]}"')
                )
            elif name not in answers:
                reply.set_rcode(dns.rcode.NXDOMAIN)
            sock.sendto(reply.to_wire(), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    resolver = authentication._dnspython_resolver()
    saved = (resolver.nameservers, resolver.port)
    resolver.nameservers, resolver.port = ["127.0.0.1"], sock.getsockname()[1]
    yield answers
    resolver.nameservers, resolver.port = saved
    stop.set()
    thread.join()
    sock.close()


def test_the_default_resolver_answers_nothing_found_or_fails_within_its_timeout(
    settings, dns_server
):
    dns_server["example.org"] = "v=spf1 -all"
    dns_server["slow.example.org"] = None
    assert authentication.dns_lookup("example.org", "TXT") == ["v=spf1 -all"]
    assert authentication.dns_lookup("nothing.example.org", "TXT") == []
    started = time.monotonic()
    with pytest.raises(authentication.DNSFailure):
        authentication.dns_lookup("slow.example.org", "TXT")
    assert time.monotonic() - started < settings.GOINGSOLO_MAIL_DNS_TIMEOUT + 2


# --- Switching it off --------------------------------------------------------------------


def test_check_deploy_warns_when_inbound_authentication_is_off(settings):
    settings.GOINGSOLO_MAIL_AUTHENTICATE = False
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "goingsolo.W010" in ids
    settings.GOINGSOLO_MAIL_AUTHENTICATE = True
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "goingsolo.W010" not in ids


def test_goingsolo_check_reports_a_resolver_that_cannot_be_imported(settings):
    settings.GOINGSOLO_MAIL_DNS_RESOLVER = "goingsolo.mail.nowhere.resolve"
    assert "goingsolo.E010" in [message.id for message in run_checks()]


# --- Another process, the same records -----------------------------------------------------


def database_for_a_process(tmp_path):
    """A DATABASE_URL a process started by the test can open, with the test's data."""
    if connection.vendor == "sqlite":
        path = tmp_path / "process.sqlite3"
        with sqlite3.connect(path) as target:
            connection.ensure_connection()
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    params = connection.settings_dict
    return (
        f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_a_process_the_test_starts_resolves_with_the_tests_records(settings, tmp_path, local_dns):
    group = GroupFactory(slug="going-solo")
    member_of(group, email="marie@example.org")
    to = f"going-solo@{settings.GOINGSOLO_MAIL_DOMAIN}"
    signed = dkim_sign(plain_message(sender=MARIE, to=to).as_bytes(), domain="example.org")
    unsigned = plain_message(sender=MARIE, to=to, subject="Unsigned").as_bytes()
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "GOINGSOLO_", "PYTEST", "DJANGO_", "EMAIL_"))
    }
    environment.update(
        local_dns.environment(),
        DATABASE_URL=database_for_a_process(tmp_path),
        # The suite's choices (a cache in memory, jobs at once, emails kept), in its files.
        DJANGO_SETTINGS_MODULE="config.settings_test",
        GOINGSOLO_DATA_DIR=str(tmp_path / "data"),
        GOINGSOLO_MAIL_DOMAIN=settings.GOINGSOLO_MAIL_DOMAIN,
        SECRET_KEY=settings.SECRET_KEY,
        LOG_LEVEL="WARNING",
    )

    def receive(raw):
        return subprocess.run(
            [Path(sys.executable).parent / "goingsolo", "mail", "receive", "--recipient", to],
            input=raw,
            env=environment,
            cwd=tmp_path,  # not the project's folder: the environment makes tests importable
            capture_output=True,
            timeout=120,
        )

    proven, waiting = receive(signed), receive(unsigned)
    assert proven.returncode == 0, proven.stderr.decode()
    assert proven.stdout.decode().strip().endswith("processed")
    assert waiting.stdout.decode().strip().endswith("awaiting")
