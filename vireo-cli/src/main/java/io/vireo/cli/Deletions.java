package io.vireo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.OutputFormat;

/** How a delete of a flavor, image, host... is reported: a line for people, the server's answer (if any) for scripts. */
final class Deletions {
    private Deletions() {}

    static void report(Output output, String kind, String name, JsonNode answer) {
        if (output.format() == OutputFormat.JSON) {
            if (!answer.isNull() && !answer.isMissingNode()) {
                output.json(answer);
            }
        } else {
            output.message(kind + " '" + name + "' deleted");
        }
    }
}
