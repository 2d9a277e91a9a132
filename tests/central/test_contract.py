"""The contract's pure parts: the signature (against an independent computation), codes, the status table."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from central.contract import agency_of, is_agency_code, next_status, signature


def test_signature_matches_a_hand_computed_vector() -> None:
    body = b'{"events": []}'
    # Computed here step by step, independently of central.contract.
    body_hash = hashlib.sha256(body).hexdigest()
    assert body_hash == "8aed54634d462f368d193ef01f789bc1fdc74724fc6476d3ba7f87c91e1df7c5"
    message = "POST\n/api/v1/events\n1796608800\n" + body_hash
    expected = hmac.new(b"s3cret-key", message.encode(), hashlib.sha256).hexdigest()
    # The same value as: printf 'POST\n/api/v1/events\n1796608800\n<hash>' | openssl dgst -sha256 -hmac …
    assert expected == "fb321922659bcbddba89d8103e3b9dc2af3f5700ddb9ec2fed164a966a22bd43"
    assert signature("s3cret-key", "POST", "/api/v1/events", 1796608800, body) == expected
    assert signature("s3cret-key", "post", "/api/v1/events", "1796608800", body) == expected


def test_signature_of_an_empty_body_hashes_the_empty_string() -> None:
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    message = f"GET\n/api/v1/health\n0\n{empty}".encode()
    expected = hmac.new(b"k", message, hashlib.sha256).hexdigest()
    assert signature("k", "GET", "/api/v1/health", 0, b"") == expected


def test_signature_depends_on_every_part() -> None:
    base = signature("k", "POST", "/p", 1, b"x")
    assert (
        len(
            {
                base,
                signature("k2", "POST", "/p", 1, b"x"),
                signature("k", "PUT", "/p", 1, b"x"),
                signature("k", "POST", "/q", 1, b"x"),
                signature("k", "POST", "/p", 2, b"x"),
                signature("k", "POST", "/p", 1, b"y"),
            }
        )
        == 6
    )


@pytest.mark.parametrize(
    ("code", "agency"),
    [
        ("000.17.22.H56-210531-0001", "000.17.22.H56"),
        ("H55.242.01-260101-12345", "H55.242.01"),
        ("H55.242.01-260101-001", None),  # fewer than 4 digits
        ("000.17.22.h56-210531-0001", None),  # scanners' lower case is the counter's business
        ("1.001612", None),
        ("", None),
    ],
)
def test_agency_of_a_dossier_code(code: str, agency: str | None) -> None:
    assert agency_of(code) == agency


def test_agency_codes_of_both_shapes() -> None:
    assert is_agency_code("000.00.10.H49")
    assert is_agency_code("H55.242.01")
    assert not is_agency_code("H55.242.1")


def test_status_table() -> None:
    assert next_status(None, "received") == "received"
    assert next_status(None, "refused") == "refused"
    assert next_status(None, "transferred") is None
    assert next_status(None, "rated") is None
    assert next_status("received", "received") is None  # received is only a first event
    assert next_status("supplement_requested", "supplemented") == "received"
    assert next_status("received", "supplemented") is None
    assert next_status("returned", "rated") == "returned"
    assert next_status("received", "returned") is None
    assert next_status("result_ready", "returned") == "returned"
    assert next_status("delayed", "delayed") is None
    assert next_status("transferred", "transferred") == "transferred"
