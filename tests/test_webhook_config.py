"""What ``serve``'s webhook options accept and refuse, before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from candidate_cards.errors import InvalidApiConfig, InvalidServiceConfig
from candidate_cards.webhooks import SmtpConfig, read_secret, sign, verify_signature
from candidate_cards.webhooks.config import webhook_options, webhook_settings

ENV = {"INSTAVIEW_API_KEY": "sk_test", "INSTAVIEW_API_URL": "http://127.0.0.1:9"}


def test_the_secret_file_is_read_with_its_surrounding_whitespace_stripped(tmp_path: Path):
    secret = tmp_path / "secret"
    secret.write_text("  whsec_abc \n\n", encoding="utf-8")
    assert read_secret(secret) == b"whsec_abc"
    body = b'{"event":"SOURCING_COMPLETED"}'
    assert verify_signature(read_secret(secret), body, sign(b"whsec_abc", body))


@pytest.mark.parametrize("content", ["", " \n\t"])
def test_an_empty_secret_file_is_refused(tmp_path: Path, content: str):
    secret = tmp_path / "secret"
    secret.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidServiceConfig, match="is empty"):
        read_secret(secret)


def test_a_missing_secret_file_is_named_and_its_content_never_shown(tmp_path: Path):
    with pytest.raises(InvalidServiceConfig, match="no such key file") as refused:
        read_secret(tmp_path / "absent")
    assert str(tmp_path / "absent") in refused.value.message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example", ("mail.example", 25, "plain", None)),
        ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, "plain", None)),
        ("smtp://u:p@localhost:2525", ("localhost", 2525, "plain", "u")),
        (
            "smtp+starttls://bot%40x.example:s%3Acret@mail.example",
            ("mail.example", 587, "starttls", "bot@x.example"),
        ),
        ("smtps://bot:pw@mail.example:2465", ("mail.example", 2465, "tls", "bot")),
    ],
)
def test_smtp_url_forms(url: str, expected: tuple[object, ...]):
    config = SmtpConfig.from_url(url)
    assert (config.host, config.port, config.security, config.username) == expected
    assert "pw" not in repr(config) and "cret" not in repr(config)


def test_the_password_is_percent_decoded():
    assert SmtpConfig.from_url("smtps://bot:s%3Acret%2F1@mail.example").password == "s:cret/1"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://mail.example", "expected one of"),
        ("smtp://", "expected one of"),
        ("smtp://mail.example:port", "port"),
        ("smtp://bot:pw@mail.example", "in the clear"),
    ],
)
def test_bad_smtp_urls_are_refused(url: str, problem: str):
    with pytest.raises(InvalidServiceConfig, match=problem):
        SmtpConfig.from_url(url)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret"
    path.write_text("whsec_abc\n", encoding="utf-8")
    return path


def test_settings_from_the_options(secret: Path, tmp_path: Path):
    settings = webhook_settings(
        secret_file=secret,
        output_dir=tmp_path / "out",
        smtp_url="smtp://127.0.0.1:2525",
        mail_from="Sourcing <sourcing@cards.example>",
        mail_to=["a@cards.example", "b@cards.example"],
        environ=ENV,
    )
    assert settings.secret == b"whsec_abc"
    assert settings.api.base_url == "http://127.0.0.1:9"
    assert settings.mailing is not None and settings.mailing.to == (
        "a@cards.example",
        "b@cards.example",
    )
    assert (tmp_path / "out").is_dir()
    assert "whsec" not in repr(settings)


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"smtp_url": "smtp://127.0.0.1"}, "--smtp-url needs --mail-from"),
        ({"mail_from": "a@cards.example"}, "go together"),
        ({"mail_from": "not an address", "mail_to": ["b@cards.example"]}, "--mail-from"),
        ({"mail_from": "a@cards.example", "mail_to": ["nobody"]}, "--mail-to"),
    ],
)
def test_inconsistent_mail_options_are_refused(
    secret: Path, tmp_path: Path, options: dict[str, object], problem: str
):
    with pytest.raises(InvalidServiceConfig, match=problem):
        webhook_settings(secret_file=secret, output_dir=tmp_path / "out", environ=ENV, **options)  # type: ignore[arg-type]


def test_the_api_key_is_required(secret: Path, tmp_path: Path):
    with pytest.raises(InvalidApiConfig, match="INSTAVIEW_API_KEY"):
        webhook_settings(secret_file=secret, output_dir=tmp_path / "out", environ={})


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"output_dir": Path("out")}, "go together"),
        ({"secret_file": Path("secret")}, "go together"),
        ({"smtp_url": "smtp://127.0.0.1"}, "--smtp-url needs --webhook-secret-file"),
        ({"mail_to": ["a@cards.example"]}, "--mail-to needs --webhook-secret-file"),
    ],
)
def test_half_given_serve_options_are_refused(options: dict[str, object], problem: str):
    given: dict[str, object] = {"secret_file": None, "output_dir": None, **options}
    with pytest.raises(InvalidServiceConfig, match=problem):
        webhook_options(**given)  # type: ignore[arg-type]


def test_no_webhook_options_means_no_receiver():
    assert webhook_options(secret_file=None, output_dir=None) is None
