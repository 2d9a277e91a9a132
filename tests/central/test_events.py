"""POST /api/v1/events: accepted, duplicate, rejected (each code), whole-request errors, concurrency."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import pytest
from sqlalchemy import func, select, text

from central import admin
from central.models import Dossier, Event
from tests.central.conftest import OTHER_CENTRE, Central, Client, dossier_code, first_event, next_event

pytestmark = pytest.mark.postgres

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] if r["status"] != "rejected" else r["error"] for r in results]


def count(central: Central, model: type[Event] | type[Dossier]) -> int:
    with central.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def a_life(code: str) -> list[dict[str, Any]]:
    """received → transferred → result_ready → returned → rated."""
    return [
        first_event(code),
        next_event(code, 2, "transferred", {"agency": "000.00.10.H49"}),
        next_event(code, 3, "result_ready", {"summary": "Giấy khai sinh", "pages": 1}),
        next_event(code, 4, "returned", {"returned_at": "2026-12-10T09:00:00+07:00", "officer": "lan"}),
        next_event(code, 5, "rated", {"level": 1, "scale": 4, "satisfied": True, "source": "keypad"}),
    ]


def test_a_batch_is_accepted_then_duplicate_and_stored_once(central: Central, client: Client) -> None:
    batch = a_life(dossier_code(1)) + a_life(dossier_code(2))
    assert statuses(client.results(batch)) == ["accepted"] * 10
    assert statuses(client.results(batch)) == ["duplicate"] * 10
    assert count(central, Event) == 10
    assert count(central, Dossier) == 2
    view = client.get(f"/api/v1/dossiers/{dossier_code(1)}").json()
    assert view["status"] == "returned"  # rated does not change the status
    assert view["last_seq"] == 5


def test_get_dossier_returns_its_events_in_seq_order(client: Client) -> None:
    code = dossier_code(3)
    events = a_life(code)
    client.results(events[:2])
    client.results(events[2:])
    response = client.get(f"/api/v1/dossiers/{code}")
    assert response.status_code == 200
    view = response.json()
    assert view["last_seq"] == 5
    assert [e["seq"] for e in view["events"]] == [1, 2, 3, 4, 5]
    assert [e["event_id"] for e in view["events"]] == [e["event_id"] for e in events]
    assert view["events"][0]["payload"] == events[0]["payload"]
    assert view["events"][0]["occurred_at"] == events[0]["occurred_at"]


def test_a_seq_gap_names_the_expected_seq_and_blocks_only_that_dossier(client: Client) -> None:
    code, other = dossier_code(1), dossier_code(2)
    life = a_life(code)
    results = client.results([life[0], life[2], life[3], first_event(other)])
    assert statuses(results) == ["accepted", "seq_gap", "seq_gap", "accepted"]
    assert results[1]["expected_seq"] == 2
    assert results[2]["expected_seq"] == 2
    # A first event for a dossier the server does not hold yet must be seq 1.
    late = next_event(dossier_code(9), 3, "transferred", {"agency": "x"})
    assert client.results([late])[0]["expected_seq"] == 1


def test_a_transition_the_status_table_forbids_is_bad_transition(client: Client) -> None:
    code = dossier_code(1)
    returned_too_early = next_event(code, 2, "returned", {"officer": "lan"})
    results = client.results([first_event(code), returned_too_early])
    assert statuses(results) == ["accepted", "bad_transition"]
    # The rejected event blocks the later ones of its dossier: they are seq gaps now.
    later = next_event(code, 3, "transferred", {"agency": "x"})
    assert statuses(client.results([later])) == ["seq_gap"]
    assert client.get(f"/api/v1/dossiers/{code}").json()["status"] == "received"


@pytest.mark.parametrize(
    "first_type",
    ["transferred", "rated", "supplemented", "returned"],
)
def test_a_dossier_cannot_start_with(client: Client, first_type: str) -> None:
    event = next_event(dossier_code(1), 1, first_type, {"dossier": first_event(dossier_code(1))["payload"]})
    assert statuses(client.results([event])) == ["bad_transition"]


def test_incomplete_at_the_counter_then_supplemented_then_received(client: Client) -> None:
    code = dossier_code(1)
    events = [
        first_event(code, "supplement_requested"),
        next_event(code, 2, "rated", {"level": 2, "scale": 4, "satisfied": True, "source": "kiosk"}),
        next_event(code, 3, "supplemented", {"documents_added": [{"position": 2, "files": []}]}),
        next_event(code, 4, "supplemented", {"documents_added": []}),
    ]
    assert statuses(client.results(events)) == ["accepted", "accepted", "accepted", "bad_transition"]
    assert client.get(f"/api/v1/dossiers/{code}").json()["status"] == "received"


def test_refused_at_the_counter_is_final(client: Client) -> None:
    code = dossier_code(1)
    events = [first_event(code, "refused"), next_event(code, 2, "received", {"dossier": {}})]
    assert statuses(client.results(events)) == ["accepted", "bad_transition"]


def test_a_first_event_must_carry_its_dossier(client: Client) -> None:
    code = dossier_code(1)
    no_snapshot = next_event(code, 1, "received", {})
    other_code = first_event(code)
    other_code["payload"]["dossier"]["code"] = dossier_code(2)
    no_procedure = first_event(code)
    del no_procedure["payload"]["dossier"]["procedure_code"]
    results = client.results([no_snapshot, other_code, no_procedure])
    assert statuses(results) == ["invalid_payload"] * 3


def test_malformed_events_are_rejected_one_by_one(client: Client) -> None:
    good = first_event(dossier_code(5))
    bad: list[dict[str, Any]] = []
    for field, value in [
        ("seq", "1"),
        ("seq", 0),
        ("seq", True),
        ("type", "approved"),
        ("occurred_at", "2026-12-07T08:00:00"),  # no offset
        ("occurred_at", "yesterday"),
        ("dossier_code", "not-a-code"),
        ("payload", []),
        ("actor", None),
    ]:
        event = first_event(dossier_code(1))
        event[field] = value
        bad.append(event)
    missing = first_event(dossier_code(1))
    del missing["actor"]
    nul = first_event(dossier_code(1))
    nul["payload"]["note"] = "a\u0000b"  # PostgreSQL refuses NUL in JSON text: still no 500
    results = client.results([*bad, missing, nul, good])
    assert statuses(results) == ["invalid_payload"] * (len(bad) + 2) + ["accepted"]


def test_an_event_id_reused_for_another_event_is_rejected(client: Client) -> None:
    event = first_event(dossier_code(1))
    client.results([event])
    changed = json.loads(json.dumps(event))
    changed["actor"] = "minh"
    result = client.results([changed])[0]
    assert (result["status"], result["error"]) == ("rejected", "invalid_payload")
    assert "reused" in result["message"]


def test_unknown_procedure_only_once_the_catalogue_has_procedures(
    central: Central, client: Client, tmp_path: Any
) -> None:
    assert statuses(client.results([first_event(dossier_code(1), procedure="9.999999")])) == ["accepted"]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([{"code": "1.001612", "name": "Đăng ký khai sinh"}]), encoding="utf-8")
    admin.import_catalogue(central.engine, path)
    results = client.results(
        [
            first_event(dossier_code(2), procedure="9.999999"),
            first_event(dossier_code(3), procedure="1.001612"),
        ]
    )
    assert statuses(results) == ["unknown_procedure", "accepted"]


def test_missing_file_then_upload_then_accepted(client: Client) -> None:
    sha = hashlib.sha256(PDF).hexdigest()
    event = first_event(dossier_code(1), files=[sha])
    result = client.results([event])[0]
    assert (result["error"], result["files"]) == ("missing_file", [sha])
    assert client.put_file(PDF, sha).status_code == 200
    assert statuses(client.results([event])) == ["accepted"]
    added = next_event(dossier_code(1), 2, "transferred", {"files": ["0" * 64]})
    assert statuses(client.results([added])) == ["missing_file"]
    for wrong in (["abc"], [{"sha256": sha}], [None], [sha.upper()]):
        not_a_hash = next_event(dossier_code(1), 2, "transferred", {"files": wrong})
        assert statuses(client.results([not_a_hash])) == ["invalid_payload"]


def test_events_for_another_centres_dossier_are_403(central: Central, client: Client) -> None:
    ours = first_event(dossier_code(1))
    theirs = first_event(dossier_code(1, agency=OTHER_CENTRE))
    response = client.post_events([ours, theirs])
    assert response.status_code == 403
    assert client.get(f"/api/v1/dossiers/{dossier_code(1)}").status_code == 404  # nothing of the batch stored
    other = central.add_centre(OTHER_CENTRE)
    other.results([theirs])
    assert client.get(f"/api/v1/dossiers/{dossier_code(1, agency=OTHER_CENTRE)}").status_code == 403
    assert other.get(f"/api/v1/dossiers/{dossier_code(1, agency=OTHER_CENTRE)}").status_code == 200
    other.close()


def test_get_dossier_unknown_or_not_a_code_is_404(client: Client) -> None:
    assert client.get(f"/api/v1/dossiers/{dossier_code(77)}").status_code == 404
    assert client.get("/api/v1/dossiers/nonsense").status_code == 404


def test_more_than_500_events_is_413(central: Central, client: Client) -> None:
    events = [first_event(dossier_code(n)) for n in range(1, 502)]
    assert client.post_events(events).status_code == 413
    assert count(central, Event) == 0
    assert statuses(client.results(events[:500])) == ["accepted"] * 500


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"events": {}}',
        b'{"nothing": []}',
        b'{"events": [1]}',
        b'{"events": [{"event_id": "x"}]}',
        b'{"events": [NaN]}',
    ],
)
def test_a_body_that_is_not_the_schema_is_400(client: Client, body: bytes) -> None:
    assert client.request("POST", "/api/v1/events", body).status_code == 400


def test_an_empty_batch_is_fine(client: Client) -> None:
    assert client.results([]) == []


def test_concurrent_delivery_of_the_same_batch_stores_each_event_once(
    central: Central, client: Client
) -> None:
    batch = [e for n in range(1, 21) for e in a_life(dossier_code(n))]
    body = json.dumps({"events": batch}).encode()
    # Both requests are signed before either is sent (distinct timestamps: distinct signatures).
    headers = [client.signed_headers("POST", "/api/v1/events", body) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers: list[list[str]] = [[], []]

    def deliver(index: int) -> None:
        barrier.wait()
        response = client.http.post(
            "/api/v1/events", content=body, headers={**headers[index], "Content-Type": "application/json"}
        )
        assert response.status_code == 200, response.text
        answers[index] = statuses(response.json()["results"])

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(answers)
    for first, second in zip(*answers, strict=True):
        assert sorted([first, second]) == ["accepted", "duplicate"]
    assert count(central, Event) == 100
    with central.engine.connect() as connection:
        per_dossier = connection.execute(text("SELECT min(last_seq), max(last_seq) FROM dossiers")).one()
    assert tuple(per_dossier) == (5, 5)


def test_logs_carry_no_personal_data(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    event = first_event(dossier_code(1))
    client.results([event])
    logged = caplog.text
    assert event["event_id"] in logged
    for secret_or_personal in ("Nguyễn Văn An", "001090012345", "0912345678", client.secret):
        assert secret_or_personal not in logged


def test_an_upper_case_event_id_is_answered_in_canonical_form(client: Client) -> None:
    event = first_event(dossier_code(1))
    event["event_id"] = event["event_id"].upper()
    result = client.post_events([event]).json()["results"][0]
    assert result == {"event_id": event["event_id"].lower(), "status": "accepted"}


@pytest.mark.parametrize("depth", [200, 900, 5000])
def test_deeply_nested_payloads_never_give_a_500(client: Client, depth: int) -> None:
    event = first_event(dossier_code(1))
    raw = json.dumps({"events": [event]})
    nested = "[" * depth + "]" * depth
    body = raw.replace('"fee": 0', f'"fee": {nested}').encode()
    response = client.request("POST", "/api/v1/events", body)
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert response.json()["results"][0]["status"] in {"accepted", "rejected"}
