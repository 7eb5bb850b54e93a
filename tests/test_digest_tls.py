"""Sending the digest over TLS to a real server (aiosmtpd on 127.0.0.1).

A certificate for 127.0.0.1 is made with openssl for the test session; the client
trusts it through ``SSL_CERT_FILE`` (read by ``ssl.create_default_context()``, as the
system's CA store would be). The login happens inside TLS, and a server the client
does not trust gets nothing: no password, no message.
"""

import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from newsletter_support import config, renderer
from test_digest_send import (
    PASSWORD,
    PEOPLE,
    SECRET,
    Sink,
    assert_each_once,
    authenticate,
    free_port,
    issue,
)

from gratitude_press.newsletter.sending import StateFile, send_issue


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _server_context(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture(params=["starttls", "ssl"])
def tls_server(request, certificate):
    sink, context = Sink(), _server_context(certificate)
    options = (
        {"tls_context": context, "require_starttls": True}
        if request.param == "starttls"
        else {"ssl_context": context}
    )
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; with implicit TLS
    # every byte, the login included, is encrypted anyway.
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticate,
        auth_require_tls=request.param == "starttls",
        **options,
    )
    controller.start()
    sink.port, sink.security = controller.port, request.param
    yield sink
    controller.stop()


def _send(server, tmp_path):
    cfg = config(
        DIGEST_SMTP_HOST="127.0.0.1",
        DIGEST_SMTP_PORT=server.port,
        DIGEST_SMTP_SECURITY=server.security,
        DIGEST_SMTP_USER="digest",
        DIGEST_SMTP_TIMEOUT=5,
    )
    return send_issue(
        issue(),
        cfg,
        renderer(cfg),
        PEOPLE,
        StateFile(tmp_path / "s.json"),
        password=PASSWORD,
        secret=SECRET,
    )


def test_trusted_server_gets_each_message_once_after_a_login_inside_tls(
    tls_server, certificate, tmp_path, monkeypatch
):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    report = _send(tls_server, tmp_path)
    assert report.ok and len(report.sent) == len(PEOPLE), report.stopped
    assert_each_once(tls_server)


def test_untrusted_certificate_is_one_clear_line_and_nothing_is_sent(
    tls_server, tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    report = _send(tls_server, tmp_path)
    assert not report.ok and not tls_server.got
    assert len(report.not_attempted) == len(PEOPLE)
    assert "certificate verify failed" in report.stopped, report.stopped
    assert "\n" not in report.stopped and PASSWORD not in report.stopped
    assert PASSWORD not in capsys.readouterr().out
