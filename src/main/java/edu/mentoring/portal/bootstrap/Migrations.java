package edu.mentoring.portal.bootstrap;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with Flyway, before any verticle runs (JDBC is blocking). Flyway serialises
 * concurrent migrations with a PostgreSQL advisory lock, so several nodes may start at once on an empty database.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static MigrateResult migrate(PgConnectOptions db) {
    String jdbcUrl = "jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase();
    Flyway flyway = Flyway.configure()
      .dataSource(jdbcUrl, db.getUser(), db.getPassword())
      .locations("classpath:db/migration")
      .connectRetries(10)
      .load();
    MigrateResult result = flyway.migrate();
    // targetSchemaVersion is null when nothing was applied: the schema is then at its initial version
    String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    LOG.info("schema at version {} ({} migration(s) applied)", version, result.migrationsExecuted);
    return result;
  }
}
