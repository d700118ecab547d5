package dev.loadleak.history;

import dev.loadleak.result.FlowResult;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.sqlite.JDBC;

/**
 * A history of runs in one SQLite file (xerial sqlite-jdbc): what CI caches between builds and a
 * user can query with {@code sqlite3}. Each run is a row of {@code runs} (its id is the scenario and
 * the start time, so adding a result twice adds it once), its labels (commit, branch, build), and
 * one row of {@code metrics} per figure and scope ({@link RunFigures}), with the encoded latency
 * histograms so that percentiles can be recomputed exactly. WAL mode and a busy timeout let two CI jobs write at once. The schema is
 * versioned ({@code PRAGMA user_version}); {@link #MIGRATIONS} bring an older file up to date.
 */
public final class HistoryStore implements AutoCloseable {
    /** Each migration takes the schema from version i to i + 1. */
    static final String[][] MIGRATIONS = {
        {
            "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, run_key TEXT NOT NULL UNIQUE, "
                + "started_at TEXT NOT NULL, duration_seconds REAL, scenario TEXT NOT NULL, verdict TEXT, score INTEGER, "
                + "status TEXT, loadleak_version TEXT)",
            "CREATE TABLE metrics (run_id INTEGER NOT NULL REFERENCES runs(id), scope TEXT NOT NULL, "
                + "metric TEXT NOT NULL, value REAL, PRIMARY KEY (run_id, scope, metric))",
            "CREATE INDEX runs_by_scenario ON runs (scenario, started_at)",
        },
        {
            "ALTER TABLE runs ADD COLUMN scenario_hash TEXT",
            "CREATE TABLE labels (run_id INTEGER NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value TEXT NOT NULL, "
                + "PRIMARY KEY (run_id, key))",
            "CREATE TABLE histograms (run_id INTEGER NOT NULL REFERENCES runs(id), scope TEXT NOT NULL, "
                + "kind TEXT NOT NULL, encoded TEXT NOT NULL, PRIMARY KEY (run_id, scope, kind))",
        },
    };
    /** The schema this build writes. */
    public static final int VERSION = MIGRATIONS.length;

    /** The environment variables CI systems set that a run is labelled with (GitHub, GitLab, Jenkins). */
    public static final List<String> CI_LABELS = List.of("GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_RUN_ID", "CI_COMMIT_SHA",
            "CI_COMMIT_REF_NAME", "CI_PIPELINE_ID", "BUILD_NUMBER", "GIT_COMMIT");

    /** One run as listed: its row id, start, scenario, verdict, score and labels. */
    public record Run(long id, String startedAt, String scenario, String verdict, Integer score,
                      Map<String, String> labels) {
        /** The commit it ran at, from whichever CI label names one, or "". */
        public String commit() {
            for (String k : List.of("commit", "GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT")) {
                String v = labels.get(k);
                if (v != null && !v.isBlank()) {
                    return v.length() > 12 ? v.substring(0, 12) : v;
                }
            }
            return "";
        }
    }

    private final Connection db;
    private final Path file;

    private HistoryStore(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    /** Opens (creating) the history in {@code file} and brings its schema up to date. */
    public static HistoryStore open(Path file) throws SQLException {
        return open(file, VERSION);
    }

    /**
     * A plain connection to {@code file}, from sqlite-jdbc's driver itself rather than through
     * {@code DriverManager}: DriverManager hands a driver only to callers whose class loader sees the
     * class that registered it, and under Quarkus (tests, dev mode) the first loader to touch the
     * driver is not the only one that asks.
     */
    static Connection connect(Path file) throws SQLException {
        Connection c = new JDBC().connect(JDBC.PREFIX + file.toAbsolutePath(), new Properties());
        if (c == null) {
            throw new SQLException("sqlite-jdbc refused " + file);
        }
        return c;
    }

    /** As {@link #open(Path)}, migrating only up to {@code version} (for tests of the migrations). */
    static HistoryStore open(Path file, int version) throws SQLException {
        Connection c = connect(file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 30000");
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA foreign_keys = ON");
        }
        HistoryStore h = new HistoryStore(c, file);
        try {
            h.migrate(version);
        } catch (SQLException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    private void migrate(int target) throws SQLException {
        int at = schemaVersion();
        if (at > VERSION) {
            throw new SQLException(file + " has history schema " + at + ", newer than this loadleak reads (" + VERSION
                    + "): use a newer loadleak");
        }
        for (int v = at; v < target; v++) {
            try (Statement s = db.createStatement()) {
                // IMMEDIATE: the write lock first, so that two processes opening a new file migrate it once
                s.execute("BEGIN IMMEDIATE");
                try {
                    if (schemaVersion() == v) {
                        for (String sql : MIGRATIONS[v]) {
                            s.execute(sql);
                        }
                        s.execute("PRAGMA user_version = " + (v + 1));
                    }
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    s.execute("ROLLBACK");
                    throw e;
                }
            }
        }
    }

    int schemaVersion() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /**
     * Records {@code r} in the history {@code file} (created if missing), opened for this one run as
     * each CI job opens it; false when it was recorded before. What {@code run}, {@code merge} and
     * {@code serve --history} all call.
     */
    public static boolean append(Path file, RunResult r, Map<String, String> labels, String scenarioText)
            throws SQLException {
        try (HistoryStore h = open(file)) {
            return h.add(r, labels, scenarioText);
        }
    }

    /**
     * Records a run; false when it was recorded before (same scenario and start).
     *
     * @param scenarioText the scenario as run, hashed (normalised: line ends and trailing spaces) so that runs
     *                     of a changed scenario can be told apart; null when unknown
     */
    public boolean add(RunResult r, Map<String, String> labels, String scenarioText) throws SQLException {
        String scenario = r.provenance().scenario() == null ? "scenario" : r.provenance().scenario().name();
        String key = scenario + "@" + r.provenance().startedAt();
        db.setAutoCommit(false);
        try {
            long id;
            try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO runs (run_key, started_at, "
                    + "duration_seconds, scenario, verdict, score, status, loadleak_version, scenario_hash) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, key);
                p.setString(2, r.provenance().startedAt());
                p.setDouble(3, r.load().durationSeconds());
                p.setString(4, scenario);
                p.setString(5, r.scoring().verdict() == null ? null : r.scoring().verdict().name());
                p.setInt(6, r.scoring().score());
                p.setString(7, r.status() == null ? null : r.status().json());
                p.setString(8, r.provenance().loadleakVersion());
                p.setString(9, scenarioText == null ? null : hash(scenarioText));
                if (p.executeUpdate() == 0) {
                    db.rollback();
                    return false;
                }
                try (ResultSet k = p.getGeneratedKeys()) {
                    k.next();
                    id = k.getLong(1);
                }
            }
            addLabels(id, labels);
            addFigures(id, r);
            db.commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    private void addLabels(long id, Map<String, String> labels) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO labels (run_id, key, value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> e : labels.entrySet()) {
                p.setLong(1, id);
                p.setString(2, e.getKey());
                p.setString(3, e.getValue());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** The run's figures: overall, per request, per memory source and per flow, and its score. */
    private void addFigures(long id, RunResult r) throws SQLException {
        try (PreparedStatement m = db.prepareStatement("INSERT INTO metrics (run_id, scope, metric, value) VALUES (?, ?, ?, ?)");
             PreparedStatement h = db.prepareStatement("INSERT INTO histograms (run_id, scope, kind, encoded) VALUES (?, ?, ?, ?)")) {
            RunFigures.stats(m, h, id, "overall", r.load().overall());
            if (r.load().requests() != null) {
                for (Map.Entry<String, Stats> e : r.load().requests().entrySet()) {
                    RunFigures.stats(m, h, id, "request:" + e.getKey(), e.getValue());
                }
            }
            if (r.targetMemory().memory() != null) {
                for (MemorySeries s : r.targetMemory().memory()) {
                    RunFigures.memory(m, id, "memory:" + s.source(), s);
                }
            }
            if (r.userFlows().flows() != null) {
                for (FlowResult f : r.userFlows().flows().values()) {
                    RunFigures.flow(m, h, id, "flow:" + f.name(), f);
                }
            }
            RunFigures.metric(m, id, "overall", "score", r.scoring().score());
            m.executeBatch();
            h.executeBatch();
        }
    }

    static String hash(String scenarioText) {
        String normal = scenarioText.replace("\r\n", "\n").lines().map(String::stripTrailing)
                .reduce((a, b) -> a + "\n" + b).orElse("").strip();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The runs, oldest first; of one scenario when {@code scenario} is not null. */
    public List<Run> runs(String scenario) throws SQLException {
        List<Run> out = new ArrayList<>();
        String sql = "SELECT id, started_at, scenario, verdict, score FROM runs"
                + (scenario == null ? "" : " WHERE scenario = ?") + " ORDER BY started_at, id";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            if (scenario != null) {
                p.setString(1, scenario);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    int score = r.getInt(5);
                    out.add(new Run(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                            r.wasNull() ? null : score, labels(r.getLong(1))));
                }
            }
        }
        return out;
    }

    private Map<String, String> labels(long run) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT key, value FROM labels WHERE run_id = ? ORDER BY key")) {
            p.setLong(1, run);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
        }
        return out;
    }

    /** The scenarios recorded, by name. */
    public List<String> scenarios() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                "SELECT DISTINCT scenario FROM runs ORDER BY scenario")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** One metric of each of {@code runs} in {@code scope}; NaN where a run does not have it. */
    public double[] series(List<Run> runs, String scope, String metric) throws SQLException {
        double[] out = new double[runs.size()];
        try (PreparedStatement p = db.prepareStatement("SELECT value FROM metrics WHERE run_id = ? AND scope = ? AND metric = ?")) {
            for (int i = 0; i < runs.size(); i++) {
                p.setLong(1, runs.get(i).id());
                p.setString(2, scope);
                p.setString(3, metric);
                try (ResultSet r = p.executeQuery()) {
                    out[i] = r.next() ? r.getDouble(1) : Double.NaN;
                }
            }
        }
        return out;
    }

    /** Every metric of one run: scope → metric → value. */
    public Map<String, Map<String, Double>> metrics(long run) throws SQLException {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT scope, metric, value FROM metrics WHERE run_id = ? "
                + "ORDER BY scope, metric")) {
            p.setLong(1, run);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new LinkedHashMap<>()).put(r.getString(2), r.getDouble(3));
                }
            }
        }
        return out;
    }

    /** The scopes of one run whose encoded histograms are kept, as "scope (kind)". */
    public List<String> histogramScopes(long run) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT scope, kind FROM histograms WHERE run_id = ? ORDER BY scope, kind")) {
            p.setLong(1, run);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1) + " (" + r.getString(2) + ")");
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
