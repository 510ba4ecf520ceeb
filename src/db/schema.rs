// @generated automatically by Diesel CLI.

diesel::table! {
    account (id) {
        id -> BigInt,
        actor_id -> BigInt,
        password_hash -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    activities (id) {
        id -> BigInt,
        ap_id -> Text,
        public_id -> Nullable<Text>,
        local -> Bool,
        kind -> Text,
        actor_ap_id -> Text,
        object_ap_id -> Nullable<Text>,
        public -> Bool,
        data -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    actors (id) {
        id -> BigInt,
        ap_id -> Text,
        local -> Bool,
        kind -> Text,
        username -> Text,
        domain -> Text,
        name -> Nullable<Text>,
        summary -> Nullable<Text>,
        inbox -> Text,
        shared_inbox -> Nullable<Text>,
        outbox -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        url -> Nullable<Text>,
        icon -> Nullable<Text>,
        public_key_id -> Text,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        manually_approves_followers -> Bool,
        published -> Nullable<Timestamp>,
        fetched_at -> Timestamp,
        other_keys -> Text,
        link -> Nullable<Text>,
    }
}

diesel::table! {
    blocks (id) {
        id -> BigInt,
        actor_ap_id -> Nullable<Text>,
        domain -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        activity_id -> BigInt,
        inbox -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        retry_since -> Nullable<Timestamp>,
    }
}

diesel::table! {
    follows (id) {
        id -> BigInt,
        actor_id -> BigInt,
        direction -> Text,
        follow_ap_id -> Text,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hashtags (object_id, name) {
        object_id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    hosts (host) {
        host -> Text,
        failing_since -> Nullable<Timestamp>,
        unreachable_since -> Nullable<Timestamp>,
        next_probe_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (key) {
        key -> Text,
        object_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    markers (timeline) {
        timeline -> Text,
        last_read_id -> Text,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    media (id) {
        id -> BigInt,
        public_id -> Text,
        object_id -> Nullable<BigInt>,
        position -> Integer,
        file_name -> Nullable<Text>,
        remote_url -> Nullable<Text>,
        media_type -> Text,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        blurhash -> Nullable<Text>,
        description -> Nullable<Text>,
        size_bytes -> BigInt,
        created_at -> Timestamp,
        focus -> Nullable<Text>,
    }
}

diesel::table! {
    mentions (object_id, actor_id) {
        object_id -> BigInt,
        actor_id -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        kind -> Text,
        actor_id -> BigInt,
        object_id -> Nullable<BigInt>,
        dismissed -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oauth_apps (id) {
        id -> BigInt,
        client_id -> Text,
        secret_hash -> Text,
        name -> Text,
        website -> Nullable<Text>,
        redirect_uris -> Text,
        scopes -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oauth_codes (id) {
        id -> BigInt,
        code_hash -> Text,
        app_id -> BigInt,
        redirect_uri -> Text,
        scopes -> Text,
        code_challenge -> Nullable<Text>,
        code_challenge_method -> Nullable<Text>,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    oauth_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        app_id -> Nullable<BigInt>,
        scopes -> Text,
        user_token -> Bool,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    object_versions (id) {
        id -> BigInt,
        object_id -> BigInt,
        name -> Nullable<Text>,
        summary -> Nullable<Text>,
        content -> Text,
        source -> Nullable<Text>,
        tags -> Text,
        sensitive -> Bool,
        valid_from -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    objects (id) {
        id -> BigInt,
        ap_id -> Text,
        public_id -> Nullable<Text>,
        local -> Bool,
        kind -> Text,
        actor_id -> BigInt,
        name -> Nullable<Text>,
        summary -> Nullable<Text>,
        content -> Text,
        source -> Nullable<Text>,
        url -> Nullable<Text>,
        in_reply_to -> Nullable<Text>,
        visibility -> Text,
        sensitive -> Bool,
        published -> Timestamp,
        updated -> Nullable<Timestamp>,
        created_at -> Timestamp,
        slug -> Nullable<Text>,
        deleted_at -> Nullable<Timestamp>,
        tags -> Text,
        source_key -> Nullable<Text>,
        thread_root_id -> Nullable<BigInt>,
        parent_id -> Nullable<BigInt>,
        moderation -> Nullable<Text>,
        language -> Nullable<Text>,
        extras -> Nullable<Text>,
    }
}

diesel::table! {
    profile (id) {
        id -> BigInt,
        display_name -> Nullable<Text>,
        summary -> Nullable<Text>,
        locked -> Nullable<Bool>,
        fields -> Nullable<Text>,
        avatar -> Nullable<Text>,
        header -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reactions (id) {
        id -> BigInt,
        object_id -> BigInt,
        actor_id -> BigInt,
        kind -> Text,
        activity_ap_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    signature_formats (host) {
        host -> Text,
        format -> Text,
        checked_at -> Timestamp,
        evidence -> Text,
    }
}

diesel::joinable!(account -> actors (actor_id));
diesel::joinable!(deliveries -> activities (activity_id));
diesel::joinable!(follows -> actors (actor_id));
diesel::joinable!(hashtags -> objects (object_id));
diesel::joinable!(idempotency_keys -> objects (object_id));
diesel::joinable!(media -> objects (object_id));
diesel::joinable!(mentions -> actors (actor_id));
diesel::joinable!(mentions -> objects (object_id));
diesel::joinable!(notifications -> actors (actor_id));
diesel::joinable!(notifications -> objects (object_id));
diesel::joinable!(oauth_codes -> oauth_apps (app_id));
diesel::joinable!(oauth_tokens -> oauth_apps (app_id));
diesel::joinable!(object_versions -> objects (object_id));
diesel::joinable!(objects -> actors (actor_id));
diesel::joinable!(reactions -> actors (actor_id));
diesel::joinable!(reactions -> objects (object_id));

diesel::allow_tables_to_appear_in_same_query!(
    account,
    activities,
    actors,
    blocks,
    deliveries,
    follows,
    hashtags,
    hosts,
    idempotency_keys,
    markers,
    media,
    mentions,
    notifications,
    oauth_apps,
    oauth_codes,
    oauth_tokens,
    object_versions,
    objects,
    profile,
    reactions,
    signature_formats,
);
