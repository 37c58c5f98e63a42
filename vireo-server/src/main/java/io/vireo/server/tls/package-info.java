/**
 * The server's TLS for agents: its certificate authority, loaded from the database and opened with the replica's
 * key-encryption key (or made at first start), the certificates it issues to hosts, and the credentials of the gRPC
 * endpoint (server certificate, client certificates optional at the TLS layer and required by the agent service).
 */
@NullMarked
package io.vireo.server.tls;

import org.jspecify.annotations.NullMarked;
