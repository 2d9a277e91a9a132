"""401 for anything not signed, fresh and first-seen by a known, active centre; health needs no signature."""

from __future__ import annotations

import httpx
import pytest

from central import admin
from tests.central.conftest import OTHER_CENTRE, Central, Client

pytestmark = pytest.mark.postgres

PATH = "/api/v1/calendar/2026"


def test_a_signed_request_is_answered(client: Client) -> None:
    assert client.get(PATH).status_code == 200


@pytest.mark.parametrize("missing", ["X-Centre", "X-Timestamp", "X-Signature"])
def test_a_missing_header_is_401(client: Client, missing: str) -> None:
    headers = client.signed_headers("GET", PATH, b"")
    del headers[missing]
    response = client.http.get(PATH, headers=headers)
    assert response.status_code == 401
    assert "missing" in response.json()["detail"]


def test_no_headers_at_all_is_401(client: Client) -> None:
    assert client.http.post("/api/v1/events", content=b'{"events": []}').status_code == 401


def test_a_wrong_signature_is_401(client: Client) -> None:
    headers = client.signed_headers("GET", PATH, b"")
    headers["X-Signature"] = headers["X-Signature"][::-1]
    assert client.http.get(PATH, headers=headers).status_code == 401


def test_a_signature_of_another_body_is_401(client: Client) -> None:
    headers = client.signed_headers("POST", "/api/v1/events", b'{"events": []}')
    response = client.http.post("/api/v1/events", content=b'{"events": [ ]}', headers=headers)
    assert response.status_code == 401


def test_a_signature_made_with_another_secret_is_401(central: Central, client: Client) -> None:
    other = central.add_centre(OTHER_CENTRE)
    headers = other.signed_headers("GET", PATH, b"")
    headers["X-Centre"] = client.centre
    assert client.http.get(PATH, headers=headers).status_code == 401
    other.close()


@pytest.mark.parametrize(("skew", "status"), [(-301, 401), (301, 401), (-300, 200), (300, 200)])
def test_a_timestamp_more_than_300_s_away_is_401(client: Client, skew: int, status: int) -> None:
    client.clock.advance(5)
    timestamp = int(client.clock.now.timestamp()) + skew
    response = client.request("GET", PATH, timestamp=timestamp)
    assert response.status_code == status


def test_a_replayed_request_is_401(client: Client) -> None:
    headers = client.signed_headers("GET", PATH, b"")
    assert client.http.get(PATH, headers=headers).status_code == 200
    replay = client.http.get(PATH, headers=headers)
    assert replay.status_code == 401
    assert "replayed" in replay.json()["detail"]
    # After the replay window the timestamp is too old anyway.
    client.clock.advance(601)
    assert client.http.get(PATH, headers=headers).status_code == 401


def test_an_unknown_centre_is_401(client: Client) -> None:
    client.centre = OTHER_CENTRE
    response = client.get(PATH)
    assert response.status_code == 401
    assert response.json()["detail"] == "unknown or inactive centre"


def test_a_disabled_centre_is_401(central: Central, client: Client) -> None:
    admin.set_centre_active(central.engine, client.centre, False)
    assert client.get(PATH).status_code == 401
    admin.set_centre_active(central.engine, client.centre, True)
    assert client.get(PATH).status_code == 200


def test_health_needs_no_signature(central: Central) -> None:
    response = httpx.get(f"{central.base_url}/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_is_published(central: Central) -> None:
    paths = httpx.get(f"{central.base_url}/openapi.json").json()["paths"]
    assert {"/api/v1/events", "/api/v1/files/{sha256}", "/api/v1/dossiers/{code}", "/api/v1/catalog"} <= set(
        paths
    )


def test_old_signatures_are_pruned(central: Central, client: Client) -> None:
    from sqlalchemy import text

    for _ in range(3):
        assert client.get(PATH).status_code == 200
    client.clock.advance(601)
    assert client.get(PATH).status_code == 200
    with central.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM request_signatures")).scalar_one() == 1
