-- Background jobs (issue 7): work that outlives the request that asked for
-- it, such as a layer uploaded with POST /api/v1/layers and imported on the
-- server's import threads. The row is the job's whole state: clients poll
-- GET /api/v1/jobs/{id}.
--
-- A job is `queued` until an import thread takes it, `running` while it
-- works (runner_pid is then the PostgreSQL backend of the thread's
-- connection), and ends `succeeded` or `failed` with `result`: the import
-- summary, or {"error": message naming file, layer and feature}.
-- A running job whose runner_pid no longer exists lost its server (a crash):
-- jobs_reap() marks it failed; the server calls it at start, and every read
-- of a job applies the same rule.

CREATE TABLE jobs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('layer_import')),
    status      text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    finished_at timestamptz,
    layer       text,          -- the layer written (name in layer_catalogue)
    file_name   text,          -- the uploaded file's (sanitised) name
    file_bytes  bigint,
    options     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
    -- {"read": n, "written": n, "total": n|null}, updated every 1000 features
    progress    jsonb NOT NULL DEFAULT '{"read": 0, "written": 0, "total": null}',
    result      jsonb,
    server      text,          -- host:pid of the server that accepted it
    runner_pid  integer,       -- pg_backend_pid() of the connection running it
    CHECK ((status IN ('succeeded', 'failed')) = (finished_at IS NOT NULL))
);
CREATE INDEX jobs_created_by ON jobs (created_by, id DESC);
CREATE INDEX jobs_unfinished ON jobs (status) WHERE status IN ('queued', 'running');

-- Marks failed every running job whose connection is gone; returns how many.
CREATE FUNCTION jobs_reap() RETURNS integer LANGUAGE sql AS $$
    WITH r AS (
        UPDATE jobs SET status = 'failed', finished_at = now(),
            result = jsonb_build_object('error', coalesce(file_name, 'the upload')
                || ': the server stopped while the job was running; upload the file again')
        WHERE status = 'running'
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = jobs.runner_pid)
        RETURNING 1)
    SELECT count(*)::integer FROM r
$$;
