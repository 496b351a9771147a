-- The earliest effective date held (the lower bound of every as-of date) is read by every answer:
-- an index makes each min() a single probe instead of a scan of all facilities and projects.
CREATE INDEX facility_operation_date ON facility (operation_date) WHERE operation_date IS NOT NULL;
CREATE INDEX project_entered_on ON project (entered_on);
