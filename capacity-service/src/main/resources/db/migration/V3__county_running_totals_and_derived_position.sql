-- Per-county answers without summing events: the units per goal and county, and the number of
-- units covered per goal and county after each day on which it changed (a running total of
-- coverage_delta). "Covered on D" for a county is then one index probe for the last day <= D,
-- so a national answer by county costs one probe per county instead of a pass over every event.

CREATE TABLE goal_county_total (
    goal_id     bigint NOT NULL REFERENCES coverage_goal (id) ON DELETE CASCADE,
    county_code text COLLATE "C" NOT NULL,
    total       int NOT NULL,
    PRIMARY KEY (goal_id, county_code)
);

CREATE TABLE coverage_county (
    goal_id     bigint NOT NULL REFERENCES coverage_goal (id) ON DELETE CASCADE,
    county_code text COLLATE "C" NOT NULL,
    day         date NOT NULL,
    -- Units covered from this day on (until the next row of the same goal and county).
    covered     int NOT NULL,
    PRIMARY KEY (goal_id, county_code, day)
);

-- County totals are recounted from the township totals of one county.
CREATE INDEX goal_township_total_county ON goal_township_total (goal_id, county_code);

INSERT INTO goal_county_total (goal_id, county_code, total)
SELECT goal_id, county_code, sum(total) FROM goal_township_total GROUP BY goal_id, county_code;

INSERT INTO coverage_county (goal_id, county_code, day, covered)
SELECT goal_id, county_code, day, sum(sum(delta)) OVER (PARTITION BY goal_id, county_code ORDER BY day)
  FROM coverage_delta GROUP BY goal_id, county_code, day;

-- The last change the derived tables reflect. Equal to sequence, except while a catch-up far
-- behind the head writes only the mirror and derives everything once near the head (what a
-- change does to the derived tables is then done once, not once per batch). Answers report it.
ALTER TABLE feed_position ADD COLUMN derived_sequence bigint NOT NULL DEFAULT 0;
UPDATE feed_position SET derived_sequence = sequence;
