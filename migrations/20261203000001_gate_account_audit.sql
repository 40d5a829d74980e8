-- Creating a gate account (venue staff who can scan an event's tickets) is an admin write
-- like any other: it is audited, with the account as the entity.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_type_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_type_check
    CHECK (entity_type IN ('event', 'layout', 'gate_account'));
