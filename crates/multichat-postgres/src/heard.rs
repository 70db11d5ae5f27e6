//! What an append's notification says: the session appended to and, when they fit in one
//! payload (PostgreSQL refuses 8,000 bytes or more), the messages as stored, so the watches of
//! every process deliver them without reading them back. A payload that is a bare session id (a
//! delete, or messages too large to send) wakes the watches to read the store; one that does not
//! decode at all wakes every watch.

use multichat_core::{Changes, Message, SessionId};
use serde::{Deserialize, Serialize};

/// The largest payload sent with its messages; larger ones go as the bare id.
const MAX_PAYLOAD: usize = 7_900;

/// An append's notification.
#[derive(Serialize, Deserialize)]
struct Heard {
    id: String,
    messages: Vec<Message>,
}

/// The payload of the notification of an append of `messages` to `id`.
pub fn payload(id: &SessionId, messages: &[Message]) -> String {
    let heard = Heard {
        id: id.to_string(),
        messages: messages.to_vec(),
    };
    let json = serde_json::to_string(&heard).expect("messages serialize");
    if json.len() <= MAX_PAYLOAD {
        json
    } else {
        id.to_string()
    }
}

/// Wakes the watches a notification with `payload` concerns.
pub fn tell(changes: &Changes, payload: &str) {
    if let Ok(heard) = serde_json::from_str::<Heard>(payload)
        && let Ok(id) = SessionId::new(&heard.id)
    {
        changes.appended(&id, &heard.messages);
    } else if let Ok(id) = SessionId::new(payload) {
        changes.touch(&id);
    } else {
        changes.touch_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use multichat_core::{NewMessage, Timestamp};

    #[test]
    fn small_batches_travel_with_their_messages_and_large_ones_as_the_id() {
        let id = SessionId::new("s").expect("id");
        let small = [Message::from_new(NewMessage::user("hi"), 7, Timestamp(5))];
        let heard: Heard = serde_json::from_str(&payload(&id, &small)).expect("json");
        assert_eq!((heard.id.as_str(), heard.messages), ("s", small.to_vec()));
        let big = [Message::from_new(
            NewMessage::user("x".repeat(9_000)),
            8,
            Timestamp(5),
        )];
        assert_eq!(
            payload(&id, &big),
            "s",
            "too large for a payload: the id alone"
        );
    }
}
