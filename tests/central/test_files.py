"""PUT /api/v1/files/{sha256}: hash checked, ≤ 20 MB, PDF/JPEG/PNG by their bytes, stored once."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from central.contract import MAX_FILE_BYTES
from central.models import StoredFile
from tests.central.conftest import Central, Client

pytestmark = pytest.mark.postgres

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("content", "media_type"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_a_file_is_stored_once_and_the_second_put_is_idempotent(
    central: Central, client: Client, content: bytes, media_type: str
) -> None:
    first = client.put_file(content, sha(content), media_type)
    assert first.status_code == 200
    assert first.json() == {
        "sha256": sha(content),
        "size": len(content),
        "media_type": media_type,
        "status": "stored",
    }
    second = client.put_file(content, sha(content), media_type)
    assert second.status_code == 200
    assert second.json()["status"] == "already stored"
    with central.engine.connect() as connection:
        rows = connection.execute(select(StoredFile.content, StoredFile.centre_code)).all()
    assert rows == [(content, client.centre)]


def test_a_hash_that_does_not_match_the_bytes_is_400(central: Central, client: Client) -> None:
    response = client.put_file(PDF, sha(PDF + b"x"))
    assert response.status_code == 400
    assert client.put_file(PDF, "not-a-hash").status_code == 400
    assert client.put_file(PDF, sha(PDF).upper()).status_code == 400  # lower-case hex only
    with central.engine.connect() as connection:
        assert connection.execute(select(StoredFile.sha256)).all() == []


def test_more_than_20_mb_is_413(client: Client) -> None:
    big = b"%PDF-" + bytes(MAX_FILE_BYTES)
    assert client.put_file(big, sha(big)).status_code == 413
    exactly = b"%PDF-" + bytes(MAX_FILE_BYTES - 5)
    assert client.put_file(exactly, sha(exactly)).status_code == 200


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"GIF89a" + bytes(10), "image/gif"),
        (b"hello", "text/plain"),
        (b"", "application/pdf"),
        (PDF, "image/png"),
    ],
)
def test_anything_but_pdf_jpeg_png_is_415(client: Client, content: bytes, content_type: str) -> None:
    assert client.put_file(content, sha(content), content_type).status_code == 415


def test_an_octet_stream_content_type_is_judged_by_the_bytes(client: Client) -> None:
    response = client.put_file(PNG, sha(PNG), "application/octet-stream")
    assert response.status_code == 200
    assert response.json()["media_type"] == "image/png"


def test_an_unsigned_upload_is_401(client: Client) -> None:
    assert client.http.put(f"/api/v1/files/{sha(PDF)}", content=PDF).status_code == 401
