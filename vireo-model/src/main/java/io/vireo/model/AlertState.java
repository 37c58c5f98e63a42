package io.vireo.model;

/**
 * Where an alert stands while its condition holds. An alert whose condition no longer holds is not stored: a firing
 * one is then resolved (sent once as such), a pending one simply dropped.
 */
public enum AlertState {
    /** The condition holds, but not yet for the rule's for-duration. */
    PENDING,
    /** The condition has held for the for-duration: receivers are told, and told again while it lasts. */
    FIRING
}
