package io.vireo.server;

import io.vireo.api.ApiServer;
import io.vireo.api.ApiServices;
import io.vireo.api.ApiSettings;
import io.vireo.api.ApiTelemetry;
import io.vireo.api.ApiTlsIdentity;
import io.vireo.api.auth.AccessPolicy;
import io.vireo.api.auth.AdminTokenAuthenticator;
import io.vireo.api.auth.AgentCredential;
import io.vireo.api.auth.StoredTokenAuthenticator;
import io.vireo.api.auth.TokenAuthenticator;
import io.vireo.common.IdGenerator;
import io.vireo.controller.AuditLog;
import io.vireo.controller.CatalogService;
import io.vireo.controller.HostDeletions;
import io.vireo.controller.HostDrains;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.ImageService;
import io.vireo.controller.MigrationService;
import io.vireo.controller.NetworkService;
import io.vireo.controller.ServerGroupService;
import io.vireo.controller.VmService;
import io.vireo.controller.alerts.AlertService;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.port.Repositories;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/** Starts the REST API on the server's services; registers it for shutdown. */
final class ApiWiring {
    private ApiWiring() {}

    static int start(
            VmService vms,
            CatalogService catalog,
            ServerGroupService groups,
            MigrationService migrations,
            HostDeletions hostDeletions,
            HostDrains drains,
            ImageService images,
            IdentityService identity,
            NetworkService networks,
            AlertService alerts,
            Repositories store,
            AuditLog audit,
            String adminToken,
            String agentToken,
            HostEnrollment enrollment,
            ServerConfig config,
            @Nullable ApiTlsIdentity tls,
            ApiTelemetry telemetry,
            Deque<AutoCloseable> resources) {
        ApiSettings settings =
                ApiSettings.of(config.bindHost(), config.apiPort()).withRateLimit(config.apiRateLimit());
        ApiServer api = new ApiServer(
                tls == null ? settings : settings.withTls(tls),
                // the admin-token file first: the bootstrap credential, compared in constant time without the database
                TokenAuthenticator.firstOf(
                        new AdminTokenAuthenticator(adminToken), new StoredTokenAuthenticator(identity)),
                AgentCredential.of(agentToken),
                new ApiServices(
                        vms,
                        catalog,
                        groups,
                        images,
                        migrations,
                        hostDeletions,
                        drains,
                        enrollment,
                        identity,
                        networks,
                        store,
                        audit,
                        alerts),
                IdGenerator.secure(),
                AccessPolicy.standard(),
                telemetry);
        int port = api.start();
        resources.push(api::stop);
        return port;
    }
}
