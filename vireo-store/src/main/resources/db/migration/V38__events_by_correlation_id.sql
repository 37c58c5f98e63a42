-- Events of one piece of work (an API call, an operator's drain): `vireo events --correlation-id ID`. Partial: events
-- that automatic work writes without an id need no entry.
CREATE INDEX events_correlation ON events (correlation_id, sequence) WHERE correlation_id IS NOT NULL;
