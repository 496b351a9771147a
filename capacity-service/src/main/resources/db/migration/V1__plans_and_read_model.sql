-- capacity-service: the plans it owns, and the read model it keeps from project-service's feed.
-- Enum columns hold the proto enum numbers (smallint); dates are effective dates. Division codes
-- are text in the "C" collation: byte order, so that an area is a range of codes (a prefix).

-- === Plans (owned here) ======================================================================
CREATE SEQUENCE plan_id_seq;

CREATE TABLE plan (
    id                    bigint PRIMARY KEY,
    code                  text NOT NULL UNIQUE,
    display_name          text NOT NULL,
    area_code             text NOT NULL DEFAULT '',
    start_date            date NOT NULL,
    end_date              date NOT NULL,
    -- [{"projectKind":2,"facilityType":1,"count":12}, ...]
    project_count_targets jsonb NOT NULL DEFAULT '[]',
    -- [{"facilityType":1,"addedTonnesPerDay":76200}, ...]
    capacity_targets      jsonb NOT NULL DEFAULT '[]',
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    version               bigint NOT NULL DEFAULT 0
);

-- A coverage goal: which units count (level, kind, area, basin) and what serves them.
CREATE TABLE coverage_goal (
    id           bigserial PRIMARY KEY,
    plan_id      bigint NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    goal_id      text NOT NULL,
    ordinal      int NOT NULL,
    display_name text NOT NULL,
    unit_level   smallint NOT NULL,
    unit_kind    smallint NOT NULL,
    area_code    text NOT NULL DEFAULT '',
    -- The code prefix of the area's units: 2 digits for a province, 4 for a city, 6 for a
    -- county; empty for the whole registry. Set by the service from the area's level.
    area_prefix  text NOT NULL DEFAULT '',
    basin        text NOT NULL DEFAULT '',
    service_type smallint NOT NULL,
    deadline     date NOT NULL,
    UNIQUE (plan_id, goal_id)
);

-- AIP-155 request ids of the plan writes.
CREATE TABLE request_log (
    request_id   uuid PRIMARY KEY,
    method       text NOT NULL,
    request_hash bytea NOT NULL,
    response     bytea,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX coverage_goal_units ON coverage_goal (unit_level, unit_kind, area_prefix);

-- === Feed position ===========================================================================
-- One row: the last change applied. Written in the same transaction as what the changes did,
-- so a restart resumes exactly after it.
CREATE TABLE feed_position (
    id            smallint PRIMARY KEY CHECK (id = 1),
    sequence      bigint NOT NULL,
    -- record_time of the last change applied: how old the newest answer's data is.
    record_time   timestamptz,
    applied_at    timestamptz
);
INSERT INTO feed_position (id, sequence) VALUES (1, 0);

-- === Mirror of the registry (latest snapshot of each record) =================================
CREATE TABLE division (
    code          text COLLATE "C" PRIMARY KEY,
    name          text NOT NULL,
    level         smallint NOT NULL,
    kind          smallint NOT NULL,
    parent_code   text NOT NULL,
    county_code   text COLLATE "C" NOT NULL,
    township_code text COLLATE "C" NOT NULL,
    basin         text NOT NULL,   -- the effective basin
    retired       boolean NOT NULL
);
CREATE INDEX division_class ON division (level, kind, code);

CREATE TABLE facility (
    id                  bigint PRIMARY KEY,
    name                text NOT NULL,
    type                smallint NOT NULL,
    county_code         text COLLATE "C" NOT NULL,
    township_code       text COLLATE "C" NOT NULL,
    capacity_tpd        numeric(14, 3) NOT NULL,
    downstream_id       bigint,
    state               smallint NOT NULL,
    operation_date      date,
    out_of_service_date date
);
CREATE INDEX facility_downstream ON facility (downstream_id) WHERE downstream_id IS NOT NULL;

-- The units a facility lists as served (its location when it lists none).
CREATE TABLE facility_served_unit (
    facility_id   bigint NOT NULL,
    division_code text COLLATE "C" NOT NULL,
    PRIMARY KEY (facility_id, division_code)
);
CREATE INDEX facility_served_unit_division ON facility_served_unit (division_code);

CREATE TABLE project (
    id                         bigint PRIMARY KEY,
    name                       text NOT NULL,
    kind                       smallint NOT NULL,
    facility_id                bigint NOT NULL,
    facility_type              smallint NOT NULL,
    county_code                text COLLATE "C" NOT NULL,
    township_code              text COLLATE "C" NOT NULL,
    plan_code                  text NOT NULL,
    capacity_before_tpd        numeric(14, 3) NOT NULL,
    capacity_after_tpd         numeric(14, 3) NOT NULL,
    state                      smallint NOT NULL,
    planned_start_date         date,
    planned_completion_date    date,
    planned_commissioning_date date,
    actual_commissioning_date  date,
    -- The day the project entered the registry (the earlier of its creation and its first move).
    entered_on                 date NOT NULL
);
CREATE INDEX project_facility ON project (facility_id);
CREATE INDEX project_plan ON project (plan_code) WHERE plan_code <> '';

-- Every lifecycle move, by effective date: the state of a project on any date.
CREATE TABLE project_transition (
    project_id     bigint NOT NULL,
    ordinal        int NOT NULL,
    to_state       smallint NOT NULL,
    effective_date date NOT NULL,
    PRIMARY KEY (project_id, ordinal)
);

-- === Derived, maintained as changes arrive ===================================================
-- A facility's design capacity over effective time: 0 outside operation, then the capacity
-- each commissioned project left it with.
CREATE TABLE facility_capacity (
    facility_id   bigint NOT NULL,
    period        daterange NOT NULL,
    capacity_tpd  numeric(14, 3) NOT NULL,
    type          smallint NOT NULL,
    county_code   text COLLATE "C" NOT NULL,
    PRIMARY KEY (facility_id, period)
);

-- When a facility serves its units: a plant while in operation; a collection point while it,
-- its transfer station and that station's disposal site are all in operation.
CREATE TABLE facility_service (
    facility_id  bigint PRIMARY KEY,
    service_type smallint NOT NULL,
    periods      datemultirange NOT NULL
);

-- The units each goal counts, with the periods in which they were covered.
CREATE TABLE goal_unit (
    goal_id       bigint NOT NULL REFERENCES coverage_goal (id) ON DELETE CASCADE,
    code          text COLLATE "C" NOT NULL,
    county_code   text COLLATE "C" NOT NULL,
    township_code text COLLATE "C" NOT NULL,
    covered       datemultirange NOT NULL DEFAULT '{}',
    PRIMARY KEY (goal_id, code)
);
CREATE INDEX goal_unit_code ON goal_unit (code);
CREATE INDEX goal_unit_township ON goal_unit (township_code);

-- Units per goal and township: the denominators.
CREATE TABLE goal_township_total (
    goal_id       bigint NOT NULL REFERENCES coverage_goal (id) ON DELETE CASCADE,
    township_code text COLLATE "C" NOT NULL,
    county_code   text COLLATE "C" NOT NULL,
    total         int NOT NULL,
    PRIMARY KEY (goal_id, township_code)
);

-- Coverage events per goal, township and day: +1 for each unit that became covered that day,
-- -1 for each that stopped being covered. Covered on D = the sum of the deltas up to D.
CREATE TABLE coverage_delta (
    goal_id       bigint NOT NULL REFERENCES coverage_goal (id) ON DELETE CASCADE,
    township_code text COLLATE "C" NOT NULL,
    day           date NOT NULL,
    county_code   text COLLATE "C" NOT NULL,
    delta         int NOT NULL,
    PRIMARY KEY (goal_id, township_code, day)
);
CREATE INDEX coverage_delta_county ON coverage_delta (goal_id, county_code, day) INCLUDE (delta);
