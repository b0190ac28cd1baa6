package edu.mentoring.portal.testing;

import edu.mentoring.portal.bootstrap.PortalConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One cluster keystore per test JVM, made by {@code scripts/cluster-keystore} (so the script is what the tests use):
 * every clustered test node presents it and trusts it, as a school's nodes would.
 */
public final class ClusterKeys {
  private static Map<String, String> settings;

  private ClusterKeys() {
  }

  /** {@code PORTAL_CLUSTER_KEYSTORE} and its password. */
  public static synchronized Map<String, String> settings() {
    if (settings != null) return settings;
    try {
      Path file = Files.createTempDirectory("portal-cluster-keys").resolve("cluster.p12");
      Process p = new ProcessBuilder("scripts/cluster-keystore", file.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("scripts/cluster-keystore failed: " + out);
      }
      String password = out.lines().filter(l -> l.startsWith(PortalConfig.CLUSTER_KEYSTORE_PASSWORD + "="))
        .findFirst().orElseThrow(() -> new IllegalStateException("no password in: " + out))
        .substring(PortalConfig.CLUSTER_KEYSTORE_PASSWORD.length() + 1);
      settings = Map.of(PortalConfig.CLUSTER_KEYSTORE, file.toString(), PortalConfig.CLUSTER_KEYSTORE_PASSWORD, password);
      return settings;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
