//! The `conformance_tests!` macro: one `#[tokio::test]` per guarantee; and
//! `watch_across_processes_tests!`, the two cross-process watch tests.

/// Expands into one `#[tokio::test]` per guarantee of the conformance suite. `$make` is an async
/// function `fn(ManualClock) -> Fixture` that builds a fresh, empty store reading that clock.
#[macro_export]
macro_rules! conformance_tests {
    ($make:path) => {
        $crate::__conformance_cases!($make;
            sessions::round_trip_all_fields,
            sessions::round_trip_empty_and_maximal,
            sessions::duplicate_create_fails,
            sessions::get_missing_is_none,
            sessions::unusual_ids_round_trip,
            sessions::delete_removes_messages_and_is_idempotent,
            update::patch_replaces_given_fields_only,
            update::stale_version_conflicts,
            update::update_missing_is_not_found,
            update::empty_patch_is_a_write,
            messages::append_numbers_from_one,
            messages::message_round_trip,
            messages::batch_is_all_or_nothing,
            messages::stale_last_seq_conflicts,
            messages::append_to_missing_is_not_found,
            messages::pop_and_clear_never_reuse_seq,
            messages::removing_nothing_is_not_a_write,
            messages::version_counts_every_change,
            keys::keyed_retry_stores_nothing,
            keys::keyed_batch_appends_only_what_is_new,
            keys::key_with_other_content_conflicts,
            keys::invalid_keys_change_nothing,
            keys::keys_are_per_session_and_freed_by_removal,
            keys::concurrent_retries_store_once,
            budget::budget_returns_the_newest_run_that_fits,
            budget::budget_reads_follow_removals_and_handles,
            budget::long_budget_windows_are_exact,
            queries::read_last_boundaries,
            queries::read_after_boundaries,
            queries::read_before_boundaries,
            queries::reads_cross_seq_gaps,
            queries::read_missing_is_not_found,
            listing::list_newest_first,
            listing::list_filters_by_participant,
            listing::cursor_walk_visits_each_once,
            listing::list_skips_expired,
            expiry::idle_expiry_slides_on_write,
            expiry::absolute_expiry_ignores_writes,
            expiry::expired_session_refuses_writes,
            expiry::purge_counts_expired,
            concurrency::concurrent_appends_lose_nothing,
            concurrency::concurrent_creates_one_wins,
            concurrency::compare_and_append_admits_one,
            validation::invalid_session_input_changes_nothing,
            validation::invalid_message_input_changes_nothing,
            validation::invalid_query_input,
            validation::session_id_rules,
            handles::handle_creates_on_first_add,
            handles::handle_creates_from_its_template_and_compares,
            handles::history_pages_cover_every_message,
            handles::get_or_create_returns_the_live_session,
            handles::concurrent_get_or_create_creates_once,
            bounds::metadata_depth_limit_round_trips,
            bounds::longest_idle_expiry_is_exact,
            watch::watch_catches_up_from_after_seq,
            watch::watch_follows_appends_racing_the_subscribe,
            watch::watch_skips_what_was_removed_before_it_was_read,
            watch::watch_ends_on_delete_and_expiry,
            watch::dropping_a_watch_releases_it,
            watch_fanout::watches_of_many_sessions_each_get_their_own,
            watch_fanout::a_delivered_message_popped_is_not_retracted,
        );
    };
}

/// Implementation detail of [`conformance_tests!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_cases {
    ($make:path; $($module:ident :: $case:ident),* $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let fixture = $make($crate::ManualClock::new()).await;
                if fixture.is_skipped() {
                    eprintln!("skipped: the backend is not available here");
                    return;
                }
                $crate::cases::$module::$case(&fixture).await;
            }
        )*
    };
}

/// Expands into the two cross-process watch tests of [`crate::process_watch`]: a watch follows a
/// child process's appends, and a child's watch follows this process's. `$run_as_child` is the
/// binary's `fn() -> bool` that does a child's work (calling [`crate::process_watch::child_work`])
/// when the process is one; `$place` a `fn() -> process_watch::Place` giving the data's place (a
/// file, a server's URL) and what keeps it; `$open` an `async fn(PathBuf) -> Arc<dyn
/// ChatStore>` opening the store there as the child does.
#[macro_export]
macro_rules! watch_across_processes_tests {
    ($run_as_child:path, $place:path, $open:path) => {
        #[test]
        fn a_watch_follows_another_processs_appends() {
            if !$run_as_child() {
                let test = "a_watch_follows_another_processs_appends";
                $crate::process_watch::run(test, $place, $open, true);
            }
        }

        #[test]
        fn another_processs_watch_follows_this_ones_appends() {
            if !$run_as_child() {
                let test = "another_processs_watch_follows_this_ones_appends";
                $crate::process_watch::run(test, $place, $open, false);
            }
        }
    };
}
