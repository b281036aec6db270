//! Typed webhook events: every event of Clerk's webhook spec parses to its own `EventData`
//! variant (from a body built from its schema, and from the spec's own example), an event type
//! the spec does not know parses as `Unknown` keeping its type and data, and a body that does not
//! decode is a decode error naming the JSON path, never a panic.

use clerk_backend_core::Error;
use clerk_backend_core::webhook::events::{EVENT_TYPES, Event, EventData, parse_event};
use clerk_backend_tests::generated::webhook_events::EVENTS;
use serde_json::{Value, json};

fn parse(body: &str) -> Event {
    parse_event(body.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{body}"))
}

/// The variant's name, from its `Debug` form (`UserCreated(User { .. })`).
fn variant_name(data: &EventData) -> String {
    let debug = format!("{data:?}");
    debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_spec_has_45_events_and_every_one_has_a_sample() {
    assert_eq!(EVENT_TYPES.len(), 45);
    assert!(EVENT_TYPES.contains(&"session.pending"));
    let sampled: Vec<&str> = EVENTS.iter().map(|e| e.event_type).collect();
    assert_eq!(sampled, EVENT_TYPES);
}

#[test]
fn every_event_sample_parses_to_its_own_variant() {
    for sample in EVENTS {
        let event = parse(sample.sample);
        assert_eq!(event.event_type, sample.event_type);
        assert_eq!(event.object, "event");
        assert_eq!(event.data.event_type(), sample.event_type);
        assert!(
            !matches!(event.data, EventData::Unknown { .. }),
            "{} parsed as Unknown",
            sample.event_type
        );
        assert_eq!(variant_name(&event.data), sample.variant);
        // The typed data keeps what the sample sent (checked on its `id`, where it has one).
        let sent: Value = serde_json::from_str(sample.sample).expect("sample is JSON");
        let typed = serde_json::to_value(&event.data).expect("data serializes");
        if let Some(id) = sent["data"].get("id") {
            assert_eq!(typed.get("id"), Some(id), "{}", sample.event_type);
        }
    }
}

#[test]
fn every_example_of_the_spec_parses_to_its_own_variant() {
    let mut examples = 0;
    for sample in EVENTS {
        let Some(example) = sample.example else {
            continue;
        };
        examples += 1;
        let event = parse(example);
        assert_eq!(event.data.event_type(), sample.event_type);
        assert_eq!(variant_name(&event.data), sample.variant);
        assert!(event.http_request.is_some(), "{}", sample.event_type);
        assert!(event.instance_id.starts_with("ins_"));
    }
    assert!(examples >= 20, "only {examples} examples");
}

#[test]
fn the_envelope_is_read() {
    let body = json!({
        "type": "user.deleted",
        "object": "event",
        "timestamp": 1_716_883_200_123_i64,
        "instance_id": "ins_123",
        "event_attributes": {"http_request": {"client_ip": "192.0.2.1", "user_agent": "curl/8"}},
        "data": {"object": "user", "id": "user_1", "deleted": true},
        "something_new": [1, 2, 3],
    });
    let event = parse(&body.to_string());
    assert_eq!(event.event_type, "user.deleted");
    assert_eq!(event.timestamp, 1_716_883_200_123);
    assert_eq!(event.instance_id, "ins_123");
    let http = event.http_request.expect("http_request");
    assert_eq!(http.client_ip.as_deref(), Some("192.0.2.1"));
    assert_eq!(http.user_agent.as_deref(), Some("curl/8"));
    match event.data {
        EventData::UserDeleted(deleted) => {
            assert_eq!(deleted.id.as_deref(), Some("user_1"));
            assert!(deleted.deleted);
        }
        other => panic!("not UserDeleted: {other:?}"),
    }

    // No event_attributes (a delivery Clerk sends without a request), data first.
    let event = parse(
        r#"{"data":{"id":"sess_1","status":"pending"},"type":"session.pending","object":"event","timestamp":1,"instance_id":"ins_1"}"#,
    );
    assert!(event.http_request.is_none());
    let EventData::SessionPending(session) = event.data else {
        panic!("not SessionPending");
    };
    assert_eq!(session.id, "sess_1");
}

#[test]
fn an_unknown_type_keeps_its_type_and_raw_data() {
    let data = json!({"id": "thing_1", "nested": {"list": [1, "two", null]}});
    let body = json!({
        "type": "thing.teleported",
        "object": "event",
        "timestamp": 5,
        "instance_id": "ins_1",
        "data": data,
    });
    let event = parse(&body.to_string());
    assert_eq!(event.event_type, "thing.teleported");
    assert_eq!(event.data.event_type(), "thing.teleported");
    assert_eq!(
        event.data,
        EventData::Unknown {
            event_type: "thing.teleported".into(),
            data: data.clone(),
        }
    );
    assert_eq!(serde_json::to_value(&event.data).expect("serializes"), data);
}

#[test]
fn a_bad_data_member_is_a_decode_error_with_its_path() {
    let body = r#"{"type":"user.created","object":"event","timestamp":1,"instance_id":"ins_1","data":{"id":"user_1","email_addresses":[{"id":"idn_1"},{"id":42}]}}"#;
    let Err(Error::Decode(err)) = parse_event(body.as_bytes()) else {
        panic!("expected a decode error");
    };
    assert_eq!(err.path, "data.email_addresses[1].id");
    assert_eq!(err.body, body.as_bytes());
    assert!(err.message.contains("invalid type"), "{}", err.message);

    // The envelope too.
    let body = r#"{"type":"user.created","timestamp":"yesterday","data":{}}"#;
    let Err(Error::Decode(err)) = parse_event(body.as_bytes()) else {
        panic!("expected a decode error");
    };
    assert_eq!(err.path, "timestamp");
}

#[test]
fn no_body_panics() {
    for body in [
        &b""[..],
        b"null",
        b"[]",
        b"{",
        b"\"event\"",
        b"{\"type\":7}",
        b"\xff\xfe",
    ] {
        assert!(
            matches!(parse_event(body), Err(Error::Decode(_))),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
    // Every prefix of every sample: an error or an event, never a panic.
    for sample in EVENTS {
        let bytes = sample.sample.as_bytes();
        for end in (0..bytes.len()).step_by(7) {
            let _ = parse_event(&bytes[..end]);
        }
    }
}
