package io.vireo.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

@Doc("Where to live-migrate a VM.")
public record MigrateVmJson(
        @Doc(
                value = "The destination host's name; absent or null: the scheduler picks one other than the VM's.",
                pattern = Patterns.NAME)
        @Nullable
        String host) {
    public MigrateVmJson {
        if (host != null) {
            Names.require("host", host);
        }
    }

    /**
     * Reads the body by hand: the API's codec insists on every record component, and {@code host} is optional.
     * Accepts an object with at most a {@code host} that is a string or null.
     */
    public static MigrateVmJson of(JsonNode body) {
        if (!body.isObject()) {
            throw VireoException.invalid("the request body must be a JSON object");
        }
        Iterator<String> fields = body.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (!field.equals("host")) {
                throw VireoException.invalid(field, "is not a field of this request (only host is)");
            }
        }
        JsonNode host = body.path("host");
        if (host.isMissingNode() || host.isNull()) {
            return new MigrateVmJson(null);
        }
        if (!host.isTextual()) {
            throw VireoException.invalid("host", "must be a host name");
        }
        return new MigrateVmJson(host.asText());
    }
}
