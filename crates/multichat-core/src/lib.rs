//! The core of multichat: the session and message model, the async store traits, the error
//! type, input validation and [`MemoryStore`], the in-memory reference store. No I/O.
//!
//! Applications hold an `Arc<dyn ChatStore>` from whichever backend crate they chose
//! (`multichat-sqlite`, `multichat-json`, `multichat-redis`, `multichat-hybrid`); every backend
//! behaves exactly like [`MemoryStore`], which the conformance suite of `multichat-testkit`
//! checks.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::sync::Arc;
//! use multichat_core::*;
//!
//! let store: Arc<dyn ChatStore> = Arc::new(MemoryStore::new());
//! let id = SessionId::new("support-42")?;
//! store.create_session(NewSession::new(id.clone()).title("Refund").participant("alice")).await?;
//! store.append(&id, vec![NewMessage::user("Where is my refund?").sender("alice")], None).await?;
//! store.append(&id, vec![NewMessage::assistant("On its way.").sender("agent")], Some(1)).await?;
//!
//! let history = store.read(&id, MessageQuery::last(20)).await?;
//! assert_eq!(history.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2]);
//! let session = store.get_session(&id).await?.expect("exists");
//! assert_eq!((session.last_seq, session.message_count, session.version), (2, 2, 3));
//! # Ok::<(), Error>(())
//! # }).unwrap();
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod append;
mod bounds;
mod budget;
mod changes;
mod context;
mod cursor;
mod error;
mod handle;
mod history;
mod id;
mod keys;
mod limits;
mod listed;
mod memory;
mod message;
mod message_arc;
mod metadata;
mod new_session;
mod patch;
mod paths;
mod query;
mod restore;
mod restore_check;
mod role;
mod rules;
mod session;
mod signal;
mod store;
mod store_arc;
mod stored;
mod time;
mod timestamp;
mod transitions;
mod validate;
mod validate_batch;
mod watch;
mod workers;

pub use bounds::{MAX_COUNTER, MAX_IDLE_MS, MAX_METADATA_DEPTH, MAX_TIME_MS};
pub use budget::CONTEXT_LIMIT;
pub use changes::Changes;
pub use context::Context;
pub use cursor::ListCursor;
pub use error::{BoxError, ConflictKind, Error, ErrorKind, Result};
pub use handle::SessionHandle;
pub use history::History;
pub use id::{MAX_ID_BYTES, SessionId};
pub use keys::MAX_KEY_BYTES;
pub use limits::Limits;
pub use memory::{MemoryConfig, MemoryStore};
pub use message::{Message, NewMessage};
pub use metadata::metadata;
pub use new_session::NewSession;
pub use patch::SessionPatch;
pub use query::{MessageQuery, Page, SessionQuery};
pub use restore::{RestoreStore, WholeSession};
pub use restore_check::RestoreCheck;
pub use role::Role;
pub use serde_json;
pub use session::{Expiry, Metadata, Session};
pub use store::{ChatStore, MessageStore, SessionStore};
pub use time::{Clock, ManualClock, SystemClock, Timestamp};
pub use validate_batch::MAX_ROLE_BYTES;
pub use watch::{MessageStream, WatchConfig, follow};

/// Helpers for writing a store, shared so that every backend decides the same way: the listing
/// order and its pages, which stored messages a query selects, the parts a stored session is
/// built from ([`backend::Counters`], [`backend::Times`]), the append plan, and the table of
/// transition cases every store is checked against. An application does not need them.
pub mod backend {
    pub use crate::append::AppendPlan;
    pub use crate::cursor::{list_page, listing_order, page_of, top_page};
    pub use crate::keys::KeyedBatch;
    pub use crate::listed::Listed;
    pub use crate::memory::select_messages;
    pub use crate::paths::refuse_tilde;
    pub use crate::stored::{Counters, Times};
    pub use crate::transitions::{After, Before, TransitionCase, TransitionOp, transition_cases};
    pub use crate::workers::{Workers, next_job, poll_until};
}
