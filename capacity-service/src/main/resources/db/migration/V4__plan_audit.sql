-- Who writes plans: the subject and role of the caller's token (issue 5). The plan row keeps its
-- creator and last editor for its answers; plan_audit keeps every change, also of deleted plans.

ALTER TABLE plan
    ADD COLUMN created_by      text NOT NULL DEFAULT 'system',
    ADD COLUMN created_by_role text,
    ADD COLUMN updated_by      text NOT NULL DEFAULT 'system',
    ADD COLUMN updated_by_role text;

CREATE TABLE plan_audit (
    id          bigserial PRIMARY KEY,
    -- No foreign key: the trail outlives a deleted plan.
    plan_id     bigint NOT NULL,
    plan_code   text NOT NULL,
    action      text NOT NULL CHECK (action IN ('CREATED', 'UPDATED', 'DELETED')),
    actor       text NOT NULL,
    actor_role  text,
    recorded_at timestamptz NOT NULL,
    -- The plan as the API answered it after the change (its last state, for a deletion).
    snapshot    bytea NOT NULL
);

CREATE INDEX plan_audit_by_plan ON plan_audit (plan_id, id);
