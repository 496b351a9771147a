-- A facility's location township is checked by the service on every write (an unknown or retired
-- code is refused, naming the field), and so are the units it serves. The foreign key from
-- facility.location_code checked it once more per row and locked the division row (FOR KEY SHARE,
-- a WAL record per row): a third of an import's facility COPY (100,000 rows: 2.0-2.2 s with it,
-- 1.4 s without). What it guarded against can only happen if a division row is deleted or its
-- code changed, and neither ever happens (a township merger retires the unit, facilities keep
-- naming it): these triggers make that a rule of the database. It also covers what no foreign key
-- could, the codes in facility.served_codes.
ALTER TABLE facility DROP CONSTRAINT facility_location_code_fkey;

CREATE FUNCTION division_row_is_permanent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'division % cannot be deleted or given another code: facilities and projects may name it (retire it instead)',
        OLD.code USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER division_not_deleted BEFORE DELETE ON division
    FOR EACH ROW EXECUTE FUNCTION division_row_is_permanent();
CREATE TRIGGER division_code_not_changed BEFORE UPDATE OF code ON division
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION division_row_is_permanent();
