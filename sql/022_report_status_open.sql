-- The report statuses in one place: their order on the staff pages, their
-- labels in both languages and which of them are "open" (the report still
-- needs work: orange on the map, counted as open in clusters, looked at for
-- nearby duplicates, "open" in Open311). Before this table the open list
-- was copied in C (tiles, nearby duplicates, Open311) and in the pages.
-- SQL asks report_status_is_open(status); the pages read
-- GET /api/v1/report-statuses. The legal moves between statuses stay in
-- gis/report_workflow.c.
CREATE TABLE report_statuses (
    name     text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
    open     boolean NOT NULL,
    position integer NOT NULL UNIQUE,
    label_el text NOT NULL CHECK (length(label_el) BETWEEN 1 AND 80),
    label_en text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 80)
);

INSERT INTO report_statuses (name, open, position, label_el, label_en) VALUES
    ('submitted',    true,  1, 'Υποβλήθηκε',  'Submitted'),
    ('acknowledged', true,  2, 'Παρελήφθη',   'Acknowledged'),
    ('in_progress',  true,  3, 'Σε εξέλιξη',  'In progress'),
    ('reopened',     true,  4, 'Άνοιξε ξανά', 'Reopened'),
    ('resolved',     false, 5, 'Επιλύθηκε',   'Resolved'),
    ('rejected',     false, 6, 'Απορρίφθηκε', 'Rejected'),
    ('duplicate',    false, 7, 'Διπλότυπη',   'Duplicate'),
    ('closed',       false, 8, 'Έκλεισε',     'Closed');

-- The status of a report is one of the table's (was a CHECK listing them).
ALTER TABLE reports DROP CONSTRAINT reports_status_check,
    ADD CONSTRAINT reports_status_known FOREIGN KEY (status) REFERENCES report_statuses (name);

-- NULL for a name that is not a status.
CREATE FUNCTION report_status_is_open(status text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT s.open FROM report_statuses s WHERE s.name = status);
