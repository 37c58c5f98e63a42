package io.vireo.server;

import io.vireo.api.ApiServer;
import io.vireo.api.ApiSettings;
import io.vireo.api.auth.AdminTokenAuthenticator;
import io.vireo.api.auth.AgentCredential;
import io.vireo.common.IdGenerator;
import io.vireo.controller.CatalogService;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.ImageService;
import io.vireo.controller.MigrationService;
import io.vireo.controller.ServerGroupService;
import io.vireo.controller.VmService;
import io.vireo.controller.port.Repositories;
import java.util.Deque;

/** Starts the REST API on the server's services; registers it for shutdown. */
final class ApiWiring {
    private ApiWiring() {}

    static int start(
            VmService vms,
            CatalogService catalog,
            ServerGroupService groups,
            MigrationService migrations,
            ImageService images,
            Repositories store,
            String adminToken,
            String agentToken,
            HostEnrollment enrollment,
            ServerConfig config,
            Deque<AutoCloseable> resources) {
        ApiServer api = new ApiServer(
                ApiSettings.of(config.bindHost(), config.apiPort()).withRateLimit(config.apiRateLimit()),
                new AdminTokenAuthenticator(adminToken),
                AgentCredential.of(agentToken),
                vms,
                catalog,
                groups,
                images,
                store,
                IdGenerator.secure(),
                migrations,
                enrollment);
        int port = api.start();
        resources.push(api::stop);
        return port;
    }
}
