package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.testing.TestPortal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("A clustered node listens for the cluster only on PORTAL_CLUSTER_HOST")
class ClusterBindingTest {

  @Test
  @DisplayName("with PORTAL_CLUSTER_HOST=127.0.0.1, Hazelcast's port and the event bus's port answer on 127.0.0.1 and not on the machine's other address")
  void boundToTheConfiguredInterface() throws Exception {
    InetAddress other = otherAddress();
    assumeTrue(other != null, "this machine has no address but loopback to try");
    try (TestPortal node = TestPortal.start(Map.of(PortalConfig.CLUSTER, "true",
      PortalConfig.CLUSTER_NAME, "binding-" + UUID.randomUUID(), PortalConfig.CLUSTER_MEMBERS, "127.0.0.1",
      PortalConfig.CLUSTER_HOST, "127.0.0.1"))) {
      HazelcastClusterManager manager = (HazelcastClusterManager) node.node().clusterManager();
      var member = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress();
      assertEquals("127.0.0.1", member.getHost());
      int hazelcast = member.getPort();
      int bus = manager.getNodeInfo().port();
      for (int port : new int[] {hazelcast, bus}) {
        assertTrue(answers(InetAddress.getLoopbackAddress(), port), "port " + port + " on 127.0.0.1");
        assertFalse(answers(other, port), "port " + port + " not on " + other.getHostAddress());
      }
    }
  }

  private static boolean answers(InetAddress address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static InetAddress otherAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) continue;
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address) return a;
      }
    }
    return null;
  }
}
