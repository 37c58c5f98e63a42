package io.vireo.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vireo.model.AuditRecord;

/** How an audited action ended, as the API spells it. */
public enum AuditOutcomeJson {
    @JsonProperty("ok")
    OK(AuditRecord.Outcome.OK),
    @JsonProperty("denied")
    DENIED(AuditRecord.Outcome.DENIED),
    @JsonProperty("failed")
    FAILED(AuditRecord.Outcome.FAILED);

    private final AuditRecord.Outcome outcome;

    AuditOutcomeJson(AuditRecord.Outcome outcome) {
        this.outcome = outcome;
    }

    public AuditRecord.Outcome toModel() {
        return outcome;
    }

    public static AuditOutcomeJson of(AuditRecord.Outcome outcome) {
        for (AuditOutcomeJson candidate : values()) {
            if (candidate.outcome == outcome) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("outcome without a JSON name: " + outcome);
    }
}
