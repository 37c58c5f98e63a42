/**
 * Vireo's state of record on PostgreSQL: the controller's store ports implemented with plain JDBC over a HikariCP pool,
 * the Flyway schema, and an embedded PostgreSQL server for {@code vireo up}.
 */
@NullMarked
package io.vireo.store;

import org.jspecify.annotations.NullMarked;
