package io.vireo.model;

/** What kind of party acted: whom an audit record names as its actor. */
public enum ActorKind {
    /** A person, authenticated by a login token or an API token of theirs. */
    USER,
    /** A service account, authenticated by one of its API tokens. */
    SERVICE_ACCOUNT,
    /** The built-in administrator, authenticated by the server's {@code admin-token} file. */
    ADMIN_TOKEN,
    /** A host's agent, authenticated by its certificate (or enrolling with a join token). */
    HOST,
    /** Vireo itself: placement, the migration sweep, the host monitor. */
    SYSTEM,
    /** A caller nothing identified: no token, a bad one, or a failed login. */
    ANONYMOUS;

    /** The name used on the wire and in the CLI: {@code service-account}, {@code admin-token}, ... */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
