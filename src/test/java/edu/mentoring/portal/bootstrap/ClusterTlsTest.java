package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.testing.ClusterKeys;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("A trusted cluster: nodes talk over TLS with client certificates")
class ClusterTlsTest {

  /** A bare clustered Vert.x on the cluster's Hazelcast, with the cluster certificate or without it. */
  private static Vertx member(String clusterName, boolean withCertificate) {
    Map<String, String> settings = new HashMap<>(Map.of(PortalConfig.CLUSTER_NAME, clusterName,
      PortalConfig.CLUSTER_MEMBERS, "127.0.0.1"));
    if (withCertificate) {
      settings.put(PortalConfig.CLUSTER, "true");
      settings.putAll(ClusterKeys.settings());
    }
    PortalConfig config = PortalConfig.from(settings);
    HazelcastClusterManager manager = ClusterSetup.clusterManager(config);
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1");
    ClusterSetup.secureEventBus(options.getEventBusOptions(), config);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered().await();
  }

  @Test
  @DisplayName("a host that joins the cluster without the certificate can neither send on the bus nor receive from it; one with it can")
  void strangerIsShutOut() throws Exception {
    String name = "tls-test-" + UUID.randomUUID();
    try (TestPortal node = TestPortal.start(Map.of(PortalConfig.CLUSTER, "true", PortalConfig.CLUSTER_NAME, name,
      PortalConfig.CLUSTER_MEMBERS, "127.0.0.1"))) {
      Vertx stranger = member(name, false);
      Vertx friend = member(name, true);
      try {
        JsonObject intruder = BusRequest.message(new Actor(1, Role.ADMIN), new JsonObject(), new JsonObject()
          .put("email", "intruder@school.test").put("password", "password-123").put("name", "Intruder")
          .put("role", "admin"));
        DeliveryOptions quick = new DeliveryOptions().setSendTimeout(3_000);
        // the node's consumers are known cluster-wide, yet the stranger's message never reaches them
        assertThrows(Exception.class, () -> stranger.eventBus().request(AccountAddresses.CREATE_USER, intruder, quick)
          .await());
        assertEquals(0, node.database().count("SELECT count(*) FROM users WHERE email = 'intruder@school.test'"));
        // the same cluster with the certificate is served
        JsonObject count = (JsonObject) friend.eventBus().request(AccountAddresses.COUNT,
          BusRequest.message(Actor.SYSTEM, new JsonObject(), new JsonObject()), quick).await().body();
        assertTrue(count.getLong("users") >= 1, count::encode);

        AtomicInteger strangerHeard = new AtomicInteger();
        AtomicInteger friendHeard = new AtomicInteger();
        stranger.eventBus().consumer("tls.probe", m -> strangerHeard.incrementAndGet()).completion().await();
        friend.eventBus().consumer("tls.probe", m -> friendHeard.incrementAndGet()).completion().await();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (friendHeard.get() == 0 && System.nanoTime() < deadline) {
          node.node().vertx().eventBus().publish("tls.probe", new JsonObject().put("room", "role:admin"));
          Thread.sleep(200);
        }
        assertTrue(friendHeard.get() > 0, "a node with the certificate hears the node's publications");
        Thread.sleep(500);
        assertEquals(0, strangerHeard.get(), "a host without it hears nothing");
      } finally {
        stranger.close().await();
        friend.close().await();
      }
    }
  }
}
