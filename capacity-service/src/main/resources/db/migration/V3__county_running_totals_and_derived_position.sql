-- Per-county answers without summing events: the units per goal and county, and the number of
-- units covered per goal and county after each day on which it changed (a running total of
-- coverage_delta). "Covered on D" for a county is then one index probe for the last day <= D,
-- so a national answer by county costs one probe per county instead of a pass over every event.

CREATE TABLE goal_county_total (
    goal_id     bigint NOT NULL,
    county_code text COLLATE "C" NOT NULL,
    -- The county's name, kept with its total: a national answer names ~2,700 counties, and a
    -- probe of the national division table for each cost more than the answer's own figures.
    name        text NOT NULL DEFAULT '',
    total       int NOT NULL,
    -- The county's last running total and its day: covered on any date from that day on, which is
    -- what most questions ("as of today") ask, without a probe of coverage_county.
    covered_now int NOT NULL DEFAULT 0,
    last_day    date NOT NULL DEFAULT '-infinity',
    PRIMARY KEY (goal_id, county_code)
);

CREATE TABLE coverage_county (
    goal_id     bigint NOT NULL,
    county_code text COLLATE "C" NOT NULL,
    day         date NOT NULL,
    -- Units covered from this day on (until the next row of the same goal and county).
    covered     int NOT NULL,
    PRIMARY KEY (goal_id, county_code, day)
);

-- County totals are recounted from the township totals of one county.
CREATE INDEX goal_township_total_county ON goal_township_total (goal_id, county_code);

INSERT INTO goal_county_total (goal_id, county_code, name, total)
SELECT t.goal_id, t.county_code, COALESCE(min(d.name), ''), sum(t.total)
  FROM goal_township_total t LEFT JOIN division d ON d.code = t.county_code
 GROUP BY t.goal_id, t.county_code;

INSERT INTO coverage_county (goal_id, county_code, day, covered)
SELECT goal_id, county_code, day, sum(sum(delta)) OVER (PARTITION BY goal_id, county_code ORDER BY day)
  FROM coverage_delta GROUP BY goal_id, county_code, day;

UPDATE goal_county_total t SET covered_now = l.covered, last_day = l.day
  FROM (SELECT DISTINCT ON (goal_id, county_code) goal_id, county_code, day, covered FROM coverage_county
         ORDER BY goal_id, county_code, day DESC) l
 WHERE l.goal_id = t.goal_id AND l.county_code = t.county_code;

-- The last change the derived tables reflect. Equal to sequence, except while a catch-up far
-- behind the head writes only the mirror and derives everything once near the head (what a
-- change does to the derived tables is then done once, not once per batch). Answers report it.
ALTER TABLE feed_position ADD COLUMN derived_sequence bigint NOT NULL DEFAULT 0;
UPDATE feed_position SET derived_sequence = sequence;

-- The derived rows of a goal go with it, as before, but by one trigger on the goal rather than a
-- foreign key on each derived row: checking a key for every row a rebuild writes (a million goal
-- units nationally) cost more than writing them.
ALTER TABLE goal_unit DROP CONSTRAINT goal_unit_goal_id_fkey;
ALTER TABLE goal_township_total DROP CONSTRAINT goal_township_total_goal_id_fkey;
ALTER TABLE coverage_delta DROP CONSTRAINT coverage_delta_goal_id_fkey;

CREATE FUNCTION coverage_goal_forget_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM goal_unit WHERE goal_id = OLD.id;
    DELETE FROM goal_township_total WHERE goal_id = OLD.id;
    DELETE FROM goal_county_total WHERE goal_id = OLD.id;
    DELETE FROM coverage_delta WHERE goal_id = OLD.id;
    DELETE FROM coverage_county WHERE goal_id = OLD.id;
    RETURN OLD;
END $$;

CREATE TRIGGER coverage_goal_forget_derived AFTER DELETE ON coverage_goal
    FOR EACH ROW EXECUTE FUNCTION coverage_goal_forget_derived();
