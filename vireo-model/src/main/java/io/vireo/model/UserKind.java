package io.vireo.model;

/** Whether a user is a person, who logs in with a password, or a service account, which holds only API tokens. */
public enum UserKind {
    PERSON,
    SERVICE_ACCOUNT
}
