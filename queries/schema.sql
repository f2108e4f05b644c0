-- Dashboard schema. The version lives in meta('schema_version') and must match
-- ingest.schema.SCHEMA_VERSION; bump both together.
CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE priorities (
    id         INTEGER PRIMARY KEY,
    short_name VARCHAR NOT NULL,
    title      VARCHAR NOT NULL
);

CREATE TABLE measures (
    id                    VARCHAR PRIMARY KEY,
    priority_id           INTEGER NOT NULL REFERENCES priorities (id),
    name                  VARCHAR NOT NULL,
    unit                  VARCHAR NOT NULL CHECK (unit IN ('count', 'percentage', 'currency')),
    improvement_direction VARCHAR NOT NULL CHECK (improvement_direction IN ('increase', 'decrease', 'neutral')),
    partner               VARCHAR NOT NULL,
    frequency             VARCHAR NOT NULL,
    chart_kind            VARCHAR NOT NULL CHECK (chart_kind IN ('xmr', 'p', 'none')),  -- none: cumulative progress, no SPC
    -- How a period's months combine: sum (counts), pooled (rates from numerators and denominators),
    -- latest (cumulative figures), distinct (people: counted from the records for the whole period).
    aggregation           VARCHAR NOT NULL CHECK (aggregation IN ('sum', 'pooled', 'latest', 'distinct')),
    force_wide            BOOLEAN NOT NULL,  -- reported for the force area as a whole, never by area
    target                DOUBLE,
    synthetic             BOOLEAN NOT NULL,
    police_uk_crime_type  VARCHAR,
    sort_order            DOUBLE NOT NULL,
    note                  VARCHAR,
    -- Set by `python -m ingest catalogue retire`: the measure leaves the Overview and every list of measures;
    -- its values stay. Last, as the version 6 upgrade adds it.
    retired_at            TIMESTAMP
);

CREATE TABLE areas (
    id          VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('force', 'county', 'unitary authority', 'district', 'unallocated')),
    parent_id   VARCHAR,
    population  INTEGER,
    lsoa_prefix VARCHAR,
    sort_order  INTEGER NOT NULL
);

CREATE TABLE submissions (
    id            INTEGER PRIMARY KEY,
    loaded_at     TIMESTAMP NOT NULL,
    loaded_by     VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    partner       VARCHAR,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    rows_in_file  INTEGER NOT NULL,
    rows_added    INTEGER NOT NULL,
    rows_replaced INTEGER NOT NULL
);

CREATE TABLE observations (
    measure_id    VARCHAR NOT NULL REFERENCES measures (id),
    area_id       VARCHAR NOT NULL REFERENCES areas (id),
    month         DATE NOT NULL,
    value         DOUBLE NOT NULL,
    numerator     DOUBLE,
    denominator   DOUBLE,
    status        VARCHAR NOT NULL CHECK (status IN ('published', 'provisional')),
    publish_after DATE,
    submission_id INTEGER,  -- submissions.id (not a foreign key: the audit row is written once counts are known)
    PRIMARY KEY (measure_id, area_id, month),
    CHECK (numerator IS NULL OR (denominator > 0 AND numerator BETWEEN 0 AND denominator))
);

-- Values that a later load replaced: nothing loaded is ever lost.
CREATE TABLE observation_history (
    measure_id               VARCHAR NOT NULL,
    area_id                  VARCHAR NOT NULL,
    month                    DATE NOT NULL,
    value                    DOUBLE NOT NULL,
    numerator                DOUBLE,
    denominator              DOUBLE,
    status                   VARCHAR NOT NULL,
    publish_after            DATE,
    submission_id            INTEGER,
    replaced_by_submission_id INTEGER NOT NULL,
    replaced_at              TIMESTAMP NOT NULL
);

CREATE TABLE data_availability (
    priority_id  INTEGER NOT NULL REFERENCES priorities (id),
    measure_id   VARCHAR REFERENCES measures (id),
    period_start DATE NOT NULL,
    period_end   DATE,
    state        VARCHAR NOT NULL CHECK (state IN ('published', 'provisional', 'not yet received', 'nationally unavailable', 'in development')),
    reason       VARCHAR NOT NULL,
    state_date   DATE,
    area_id      VARCHAR REFERENCES areas (id)  -- NULL: every area
);

CREATE TABLE missing_person_reports (
    report_id   INTEGER PRIMARY KEY,
    person_id   VARCHAR NOT NULL,  -- pseudonymous; never shown
    report_date DATE NOT NULL,
    area_id     VARCHAR NOT NULL REFERENCES areas (id),
    age_band    VARCHAR NOT NULL CHECK (age_band IN ('child', 'adult'))
);

-- Counting people, defined once: every missing-person figure is counted here. For each group of `records` (a
-- relation of person_id and the columns to count by, e.g. an area and a period): the reports, the individuals
-- (distinct people: a person counts once in a group however many reports they have in it, so individuals are
-- never added up across months or areas) and the repeat individuals (people with 2+ reports in the group).
-- A row with no person (person_id NULL, as a LEFT JOIN from every area or period leaves one with no records)
-- counts nothing, so a group of only such rows counts 0. Used as `FROM people_counts(records)`, records a CTE.
CREATE MACRO people_counts(records) AS TABLE
WITH per_person AS (SELECT *, COUNT(person_id) AS person_reports FROM query_table(records) GROUP BY ALL)
SELECT
    * EXCLUDE (person_id, person_reports),
    COALESCE(SUM(person_reports), 0)::INTEGER AS reports,
    COUNT(person_id)::INTEGER AS individuals,
    (COUNT(person_id) FILTER (WHERE person_reports >= 2))::INTEGER AS repeat_individuals
FROM per_person
GROUP BY ALL;

-- The force's savings plan. One source of truth for every savings figure: a line's
-- target is banked (savings_banked, by month), forecast (the rest of an identified
-- plan) or still to find (the rest of a line with no plan yet).
CREATE TABLE savings_lines (
    id             INTEGER PRIMARY KEY,
    programme      VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    financial_year VARCHAR NOT NULL,
    target_m       DOUBLE NOT NULL CHECK (target_m >= 0),
    identified     BOOLEAN NOT NULL,  -- a plan exists: what is not yet banked is forecast
    target_date    DATE NOT NULL
);

CREATE TABLE savings_banked (
    line_id  INTEGER NOT NULL REFERENCES savings_lines (id),
    month    DATE NOT NULL,
    amount_m DOUBLE NOT NULL,
    PRIMARY KEY (line_id, month)
);

CREATE TABLE commentary (
    id           INTEGER PRIMARY KEY,
    priority_id  INTEGER NOT NULL REFERENCES priorities (id),
    measure_id   VARCHAR REFERENCES measures (id),
    area_id      VARCHAR NOT NULL REFERENCES areas (id),
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    text         VARCHAR NOT NULL,
    author       VARCHAR NOT NULL,
    status       VARCHAR NOT NULL CHECK (status IN ('draft', 'published')),
    version      INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- SPC rebase points set by the co-ordinator, applied wherever the series is charted.
CREATE TABLE spc_rebases (
    measure_id VARCHAR NOT NULL REFERENCES measures (id),
    area_id    VARCHAR NOT NULL REFERENCES areas (id),
    month      DATE NOT NULL,
    reason     VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (measure_id, area_id, month)
);

-- Every area with itself and each area above it: rollups group by ancestor_id.
CREATE VIEW area_ancestors AS
WITH RECURSIVE chain (area_id, ancestor_id) AS (
    SELECT id, id FROM areas
    UNION ALL
    SELECT chain.area_id, areas.parent_id
    FROM chain JOIN areas ON areas.id = chain.ancestor_id
    WHERE areas.parent_id IS NOT NULL
)
SELECT area_id, ancestor_id FROM chain;

-- Lowest-tier areas: the nine districts and unitaries plus the two unallocated rows.
CREATE VIEW leaf_areas AS
SELECT * FROM areas a
WHERE NOT EXISTS (SELECT 1 FROM areas c WHERE c.parent_id = a.id);

-- What a reader may see. Published rows, and provisional rows whose publish-after date has
-- been released (released_through: the last date whose 09:30 UK release has passed, worked
-- out by access.released_through); an analyst or co-ordinator also sees the rest, marked
-- provisional. The data-access layer (datastore.reader) supplies both arguments to every
-- query, by the reader's role, so no page can forget them.
CREATE MACRO visible_observations(released_through, include_provisional) AS TABLE
SELECT
    o.*,
    (o.status = 'provisional' AND NOT COALESCE(o.publish_after <= released_through, false)) AS provisional
FROM observations o
WHERE o.status = 'published' OR o.publish_after <= released_through OR include_provisional;

-- Home Office police recorded crime by police force area: rolling 12-month totals, 2003-2018,
-- for the Similar forces page. Loaded by ingest/home_office.py from data/home_office/.
-- Every area in the file, with what it is: only territorial forces are compared.
CREATE TABLE home_office_areas (
    name     VARCHAR PRIMARY KEY,  -- as the file spells it (its PFA column)
    kind     VARCHAR NOT NULL CHECK (kind IN ('territorial force', 'transport police', 'national fraud body', 'national total')),
    ons_code VARCHAR,
    region   VARCHAR,              -- the file's Region column
    note     VARCHAR
);

-- Every row of the file, nothing dropped; period_end is the last day of the 12 months.
CREATE TABLE home_office_recorded_crime (
    period_end          DATE NOT NULL,
    period_as_published VARCHAR NOT NULL,  -- the file's text, e.g. 30-12-2017 (read as 2017-12-31)
    area                VARCHAR NOT NULL REFERENCES home_office_areas (name),
    offence             VARCHAR NOT NULL,
    offences            INTEGER NOT NULL,      -- as published: 25 are negative (revisions)
    PRIMARY KEY (period_end, area, offence)
);

-- Offence groups compared on the page; compared = false marks offences kept but not compared (fraud).
CREATE TABLE home_office_offence_groups (
    group_id              VARCHAR NOT NULL,
    name                  VARCHAR NOT NULL,
    sort_order            INTEGER NOT NULL,
    improvement_direction VARCHAR CHECK (improvement_direction IN ('increase', 'decrease', 'neutral')),
    compared              BOOLEAN NOT NULL,
    offence               VARCHAR NOT NULL,
    PRIMARY KEY (group_id, offence)
);

-- Definition changes inside a group's series: charted as a break (a rebase with its reason).
CREATE TABLE home_office_series_breaks (
    group_id     VARCHAR NOT NULL,
    from_month   DATE NOT NULL,  -- first month counted under the new definition
    short_reason VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    PRIMARY KEY (group_id, from_month)
);

-- Residents per force, for rates per 1,000; one row per force and population year.
CREATE TABLE home_office_populations (
    area            VARCHAR NOT NULL REFERENCES home_office_areas (name),
    population_year INTEGER NOT NULL,
    population      INTEGER NOT NULL CHECK (population > 0),
    basis           VARCHAR NOT NULL,
    PRIMARY KEY (area, population_year)
);

-- Each force's most similar forces, when a sourced grouping is supplied.
CREATE TABLE home_office_peer_groups (
    area   VARCHAR NOT NULL REFERENCES home_office_areas (name),
    peer   VARCHAR NOT NULL REFERENCES home_office_areas (name),
    source VARCHAR NOT NULL,
    PRIMARY KEY (area, peer)
);

-- Every change of a measure's target, audited like a rebase: who, when, why, from what to what.
CREATE TABLE target_changes (
    measure_id  VARCHAR NOT NULL REFERENCES measures (id),
    old_target  DOUBLE,
    new_target  DOUBLE,
    reason      VARCHAR NOT NULL,
    changed_by  VARCHAR NOT NULL,
    changed_at  TIMESTAMP NOT NULL
);

-- Rebases a co-ordinator removed, kept with who made each and who removed it, when and why.
CREATE TABLE spc_rebases_removed (
    measure_id     VARCHAR NOT NULL,
    area_id        VARCHAR NOT NULL,
    month          DATE NOT NULL,
    reason         VARCHAR NOT NULL,
    created_by     VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    removed_by     VARCHAR NOT NULL,
    removed_at     TIMESTAMP NOT NULL,
    removal_reason VARCHAR NOT NULL
);

-- Who has which role: an e-mail address, or a group the identity provider names in its
-- groups claim. Anyone signed in without a grant is a viewer. Edited by a co-ordinator.
CREATE TABLE role_grants (
    principal  VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('email', 'group')),
    role       VARCHAR NOT NULL CHECK (role IN ('viewer', 'analyst', 'coordinator')),
    granted_by VARCHAR NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, principal)
);

-- Every change of a role grant: what it was, what it became, who changed it and when.
CREATE TABLE role_grant_changes (
    principal  VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    old_role   VARCHAR,
    new_role   VARCHAR,  -- NULL: the grant was removed
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);

-- Dated events drawn on control charts as labelled vertical rules, never a rebase ("Coronavirus
-- restrictions begin", "new recording standard"). measure_ids / area_ids list what an event applies
-- to (NULL: every measure / every area). Removing one keeps the row, with who, when and why.
CREATE TABLE chart_annotations (
    id             INTEGER PRIMARY KEY,
    month          DATE NOT NULL,
    text           VARCHAR NOT NULL,
    measure_ids    VARCHAR[],
    area_ids       VARCHAR[],
    reason         VARCHAR NOT NULL,
    created_by     VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    removed_by     VARCHAR,
    removed_at     TIMESTAMP,
    removal_reason VARCHAR,
    CHECK (length(text) BETWEEN 1 AND 60)
);

-- The quarterly Panel paper's settings for an area and period: the implications and
-- the contact the co-ordinator edits. Every save is a new version; the paper uses the latest.
CREATE TABLE paper_settings (
    area_id      VARCHAR NOT NULL REFERENCES areas (id),
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    version      INTEGER NOT NULL,
    financial    VARCHAR NOT NULL,
    legal        VARCHAR NOT NULL,
    equality     VARCHAR NOT NULL,
    risks        VARCHAR NOT NULL,
    plan_link    VARCHAR NOT NULL,
    contact      VARCHAR NOT NULL,
    saved_by     VARCHAR NOT NULL,
    saved_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (area_id, period_start, period_end, version)
);

-- police.uk's name for each force (its files' "Falls within"), the force's area, and the areas that
-- take its records with no location or in an LSOA outside the force. The importer accepts these forces.
CREATE TABLE police_uk_forces (
    name                VARCHAR PRIMARY KEY,
    force_area_id       VARCHAR NOT NULL UNIQUE REFERENCES areas (id),
    no_location_area_id VARCHAR NOT NULL REFERENCES areas (id),
    outside_area_id     VARCHAR NOT NULL REFERENCES areas (id)
);

-- Every change of a data-availability note made by a co-ordinator (the Returns page or `python -m ingest
-- availability`): the measure, area (NULL: every area) and months, the note set (NULL state and reason: cleared),
-- the notes it replaced over those months, who and when.
CREATE TABLE availability_changes (
    measure_id   VARCHAR NOT NULL REFERENCES measures (id),
    area_id      VARCHAR,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    state        VARCHAR,
    reason       VARCHAR,
    replaced     VARCHAR NOT NULL,
    changed_by   VARCHAR NOT NULL,
    changed_at   TIMESTAMP NOT NULL
);

-- Every change of the catalogue made on a running database (`python -m ingest catalogue add|retire|update`):
-- the measure, what was done, the field changed with its old and new value (added: the new measure as JSON in
-- new_value), why, who and when. No foreign key to measures: DuckDB could then never change a measure's priority.
CREATE TABLE catalogue_changes (
    measure_id VARCHAR NOT NULL,
    change     VARCHAR NOT NULL CHECK (change IN ('added', 'retired', 'updated')),
    field      VARCHAR,
    old_value  VARCHAR,
    new_value  VARCHAR,
    reason     VARCHAR NOT NULL,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
