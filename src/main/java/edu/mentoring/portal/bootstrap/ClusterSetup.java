package edu.mentoring.portal.bootstrap;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast for the clustered event bus: members found over TCP from {@code PORTAL_CLUSTER_MEMBERS}, never by
 * multicast, under the cluster name so two schools (or two test runs) on one network never merge.
 */
public final class ClusterSetup {
  /** Hazelcast ports tried from {@code PORTAL_CLUSTER_PORT} on: nodes sharing a host take the next free ones. */
  static final int PORT_COUNT = 20;

  private ClusterSetup() {
  }

  public static HazelcastClusterManager clusterManager(PortalConfig config) {
    Config hz = ConfigUtil.loadConfig(); // keeps the __vertx.* map definitions Vert.x needs
    hz.setClusterName(config.clusterName());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false"); // the portal leaves the cluster in its own shutdown
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    if (config.clusterHost() != null) {
      hz.setProperty("hazelcast.local.localAddress", config.clusterHost());
      // listen on that interface only, not on every address of the host
      hz.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(false);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers());
    return new HazelcastClusterManager(hz);
  }

  /**
   * The event bus between nodes: TLS both ways with client certificates from one PKCS#12 keystore (this node's key
   * and certificate, and the certificates it trusts). A host without a trusted certificate can neither send to a
   * node nor receive from one. Hazelcast membership itself stays unauthenticated (open-source edition): see
   * docs/security.md for what the operator must isolate.
   */
  public static void secureEventBus(EventBusOptions bus, PortalConfig config) {
    if (config.clusterKeystore() == null) return;
    PfxOptions store = new PfxOptions().setPath(config.clusterKeystore().toString())
      .setPassword(config.clusterKeystorePassword());
    bus.setSsl(true).setKeyCertOptions(store).setTrustOptions(store.copy()).setClientAuth(ClientAuth.REQUIRED);
  }
}
