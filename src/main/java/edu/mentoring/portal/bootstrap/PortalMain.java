package edu.mentoring.portal.bootstrap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code scripts/start}: one node from the environment and {@code conf/portal.properties}; Ctrl-C stops it. */
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
    PortalNode node;
    try {
      node = PortalNode.start(config);
    } catch (RuntimeException e) {
      LOG.error("start-up failed", e);
      System.err.println("Cannot start: " + rootMessage(e));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      node.stop();
    }, "portal-shutdown"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println();
    if (node.embeddedDatabaseUrl() != null) {
      System.out.println("Database (embedded): " + node.embeddedDatabaseUrl());
    }
    System.out.println("Started in " + ms + " ms" + (config.clustered() ? " (clustered)" : ""));
    System.out.println("Mentoring portal: " + node.url());
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
