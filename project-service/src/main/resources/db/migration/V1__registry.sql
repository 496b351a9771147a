-- The registry of record: divisions, facilities, projects, and the change log that is both
-- the ordered change feed and the audit trail.

CREATE TABLE division (
    code           varchar(12)  PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
    name           text         NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    level          text         NOT NULL CHECK (level IN ('PROVINCE','CITY','COUNTY','TOWNSHIP','VILLAGE')),
    kind           text         NOT NULL,
    parent_code    varchar(12),
    county_code    varchar(12),
    township_code  varchar(12),
    basin          text         CHECK (basin IS NULL OR length(basin) BETWEEN 1 AND 50),
    retired_at     timestamptz,
    updated_at     timestamptz  NOT NULL DEFAULT now(),
    version        bigint       NOT NULL DEFAULT 1
);
-- Lists page by (sort key, numeric code): keyset pagination needs the pair indexed.
CREATE INDEX division_code_num_idx ON division ((code::bigint));
CREATE INDEX division_name_idx     ON division (name, (code::bigint));
CREATE INDEX division_parent_idx   ON division (parent_code, (code::bigint));
CREATE INDEX division_county_idx   ON division (county_code, (code::bigint));
CREATE INDEX division_township_idx ON division (township_code, (code::bigint));
CREATE INDEX division_kind_idx     ON division (kind, (code::bigint));

-- Facility and project ids are allocated from these sequences in blocks, so that bulk imports
-- can use COPY; the sequences never decide feed order (see feed_head).
CREATE SEQUENCE facility_id_seq;
CREATE SEQUENCE project_id_seq;

CREATE TABLE facility (
    id                   bigint       PRIMARY KEY,
    display_name         text         NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    type                 text         NOT NULL,
    location_code        varchar(12)  NOT NULL REFERENCES division (code),
    county_code          varchar(12)  NOT NULL,
    township_code        varchar(12)  NOT NULL,
    served_codes         varchar(12)[] NOT NULL DEFAULT '{}',
    capacity_tpd         numeric(13,3) NOT NULL DEFAULT 0 CHECK (capacity_tpd BETWEEN 0 AND 10000000),
    discharge_standard   text,
    length_km            numeric(12,3) NOT NULL DEFAULT 0 CHECK (length_km >= 0),
    downstream_id        bigint       REFERENCES facility (id),
    operating_state      text         NOT NULL,
    operation_date       date,
    out_of_service_date  date,
    created_at           timestamptz  NOT NULL,
    updated_at           timestamptz  NOT NULL,
    version              bigint       NOT NULL DEFAULT 1
);
CREATE INDEX facility_county_idx     ON facility (county_code, id);
CREATE INDEX facility_township_idx   ON facility (township_code, id);
CREATE INDEX facility_type_idx       ON facility (type, id);
CREATE INDEX facility_state_idx      ON facility (operating_state, id);
CREATE INDEX facility_downstream_idx ON facility (downstream_id);
CREATE INDEX facility_served_idx     ON facility USING gin (served_codes);

CREATE TABLE project (
    id                          bigint       PRIMARY KEY,
    display_name                text         NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    kind                        text         NOT NULL,
    facility_id                 bigint       NOT NULL REFERENCES facility (id),
    facility_type               text         NOT NULL,
    county_code                 varchar(12)  NOT NULL,
    township_code               varchar(12)  NOT NULL,
    plan_code                   text,
    capacity_before_tpd         numeric(13,3) NOT NULL DEFAULT 0,
    capacity_after_tpd          numeric(13,3) NOT NULL DEFAULT 0,
    standard_before             text,
    standard_after              text,
    length_km                   numeric(12,3) NOT NULL DEFAULT 0,
    planned_start_date          date,
    planned_completion_date     date,
    planned_commissioning_date  date,
    actual_start_date           date,
    actual_completion_date      date,
    actual_commissioning_date   date,
    investment_fen              bigint       NOT NULL DEFAULT 0 CHECK (investment_fen >= 0),
    responsible_unit            text,
    progress_percent            integer      NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
    notes                       text,
    -- [{"source": …, "amountFen": …}], in the caller's order.
    funding                     jsonb        NOT NULL DEFAULT '[]',
    state                       text         NOT NULL,
    -- Every lifecycle move, oldest first: [{"from", "to", "effectiveDate", "recordedAt", "reason"}].
    transitions                 jsonb        NOT NULL DEFAULT '[]',
    suspended_from              text,
    created_at                  timestamptz  NOT NULL,
    updated_at                  timestamptz  NOT NULL,
    version                     bigint       NOT NULL DEFAULT 1
);
CREATE INDEX project_created_idx   ON project (created_at, id);
CREATE INDEX project_state_idx     ON project (state, created_at, id);
CREATE INDEX project_county_idx    ON project (county_code, created_at, id);
CREATE INDEX project_township_idx  ON project (township_code, created_at, id);
CREATE INDEX project_plan_idx      ON project (plan_code, created_at, id);
CREATE INDEX project_kind_idx      ON project (kind, created_at, id);
CREATE INDEX project_facility_idx  ON project (facility_id);

-- The feed's head: one row whose lock every writing transaction takes last, just before it
-- commits. Sequence numbers handed out under that lock are gap-free and increase in commit
-- order, which a plain database sequence does not guarantee.
CREATE TABLE feed_head (
    id        int     PRIMARY KEY CHECK (id = 1),
    last_seq  bigint  NOT NULL
);
INSERT INTO feed_head VALUES (1, 0);

-- Every committed change: the feed (payload is the serialized qingliu.project.v1 snapshot)
-- and the audit trail (who, when, what; field changes are derived by comparing snapshots).
CREATE TABLE change_log (
    seq            bigint       PRIMARY KEY,
    recorded_at    timestamptz  NOT NULL,
    resource_name  text         NOT NULL,
    change_type    text         NOT NULL,
    action         text         NOT NULL,
    actor          text         NOT NULL,
    actor_role     text,
    payload        bytea        NOT NULL
);
CREATE INDEX change_log_resource_idx ON change_log (resource_name, seq);

-- AIP-155 request ids: a retried request returns the first response.
CREATE TABLE request_log (
    request_id    uuid         PRIMARY KEY,
    method        text         NOT NULL,
    request_hash  bytea        NOT NULL,
    response      bytea,
    created_at    timestamptz  NOT NULL DEFAULT now()
);
