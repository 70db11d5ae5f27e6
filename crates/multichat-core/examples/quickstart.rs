//! Quickstart: two sessions, two participants each, messages printed back through the store API.

use std::sync::Arc;

use multichat_core::{
    ChatStore, MemoryStore, MessageQuery, NewMessage, NewSession, Result, SessionId, SessionQuery,
};

#[tokio::main]
async fn main() -> Result<()> {
    let store: Arc<dyn ChatStore> = Arc::new(MemoryStore::new());
    for (name, user, agent) in [
        ("support-1", "alice", "agent-a"),
        ("research-7", "bob", "agent-b"),
    ] {
        let id = SessionId::new(name)?;
        let new = NewSession::new(id.clone())
            .title(format!("Chat {name}"))
            .participants([user, agent]);
        store.create_session(new).await?;
        let batch = vec![
            NewMessage::user(format!("Hello, I am {user}.")).sender(user),
            NewMessage::assistant(format!("Hi {user}, {agent} here. How can I help?"))
                .sender(agent),
            NewMessage::user("Please keep this conversation.").sender(user),
        ];
        store.append(&id, batch, None).await?;
    }
    let page = store.list_sessions(SessionQuery::new(10)).await?;
    for session in page.items {
        println!(
            "== {} ({:?}), {} messages",
            session.id, session.participants, session.message_count
        );
        for m in store.read(&session.id, MessageQuery::last(10)).await? {
            println!(
                "  #{} {:<9} {:<8} {}",
                m.seq,
                m.role,
                m.sender.unwrap_or_default(),
                m.content
            );
        }
    }
    Ok(())
}
