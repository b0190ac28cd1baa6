package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.operations.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scripts/start}: one node from the environment and {@code conf/portal.properties}. SIGTERM (or Ctrl-C)
 * drains it: out of the balancer's rotation, sockets moved, requests finished, then stopped.
 */
public final class PortalMain {
  private static final Logger LOG = LoggerFactory.getLogger(PortalMain.class);

  private PortalMain() {
  }

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    PortalConfig config;
    try {
      config = PortalConfig.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("Cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    LogSetup.apply(config.logFormat(), config.logLevel());
    PortalNode node;
    try {
      node = PortalNode.start(config);
    } catch (RuntimeException e) {
      String setting = settingProblem(e);
      if (setting != null) {
        // a setting or the machine is wrong: one line that says which and what to do, no stack trace
        System.err.println("Cannot start: " + setting);
        System.exit(2);
        return;
      }
      LOG.error("start-up failed", e);
      System.err.println("Cannot start: " + PortalNode.rootMessage(e));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::drain, "portal-shutdown"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println();
    if (node.embeddedDatabaseUrl() != null) {
      System.out.println("Database (embedded): " + node.embeddedDatabaseUrl() + " (password in "
        + config.dataDir().resolve(EmbeddedDatabase.PASSWORD_FILE) + ")");
    }
    System.out.println("Started in " + ms + " ms" + (config.clustered() ? " (clustered)" : ""));
    System.out.println("Mentoring portal: " + node.url());
  }

  /** The message of a {@link ConfigException} (or a listener's "PORTAL_…: cannot listen") in the cause chain. */
  static String settingProblem(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConfigException) return c.getMessage();
      if (c.getMessage() != null && c.getMessage().startsWith("PORTAL_")) return c.getMessage();
    }
    return null;
  }
}
