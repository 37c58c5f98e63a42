/**
 * The agent's half of live migration, independent of the transport: {@link io.vireo.agent.migration.AgentMigrations}
 * runs the server's {@link io.vireo.agent.migration.MigrationCommand}s on the driver and answers with
 * {@link io.vireo.agent.migration.MigrationUpdate}s. It owns no thread: the gRPC agent gives it an executor of virtual
 * threads, the simulator one that runs each step as an event.
 */
@NullMarked
package io.vireo.agent.migration;

import org.jspecify.annotations.NullMarked;
