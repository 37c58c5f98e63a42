/**
 * Who may call: projects, users and service accounts, passwords and API tokens ({@link
 * io.vireo.controller.identity.IdentityService}), and the rule that no one grants a role they do not hold.
 */
@NullMarked
package io.vireo.controller.identity;

import org.jspecify.annotations.NullMarked;
