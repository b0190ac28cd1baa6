package edu.mentoring.portal.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.time.Duration;

/**
 * The node's Prometheus registry: what Vert.x measures itself (HTTP, event bus, pools, JVM; vertx-micrometer-metrics)
 * and the portal's own meters, named here and documented in docs/operations.md. One per node (per Vert.x instance),
 * found by any verticle with {@link #of(Vertx)}.
 */
public final class NodeMetrics implements Shareable {
  private static final String MAP = "portal.operations";
  private static final String KEY = "metrics";

  private final PrometheusMeterRegistry registry;
  private volatile long lastDeliveryLagMs;
  private JvmGcMetrics gc;

  public NodeMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static NodeMetrics create() {
    return new NodeMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Makes this the registry of {@code vertx}'s verticles. */
  public void attach(Vertx vertx) {
    vertx.sharedData().<String, NodeMetrics>getLocalMap(MAP).put(KEY, this);
  }

  /** The node's registry; a Vert.x instance started without one (a unit test's) gets its own on first use. */
  public static NodeMetrics of(Vertx vertx) {
    LocalMap<String, NodeMetrics> map = vertx.sharedData().getLocalMap(MAP);
    NodeMetrics found = map.get(KEY);
    if (found != null) return found;
    NodeMetrics fresh = create();
    NodeMetrics raced = map.putIfAbsent(KEY, fresh);
    return raced != null ? raced : fresh;
  }

  /**
   * The JVM's and the process's meters. Bound here rather than by Vert.x's option so that {@link #close()} can
   * remove the GC listeners: several nodes share one JVM in tests, and each node's listeners would keep its
   * registry alive.
   */
  public void bindJvm() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
  }

  public void close() {
    if (gc != null) gc.close();
    gc = null;
    registry.close();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text format (version 0.0.4) of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  // ------------------------------------------------------------------ the portal's own meters

  /** A bridge register refused: {@code reason} is the err frame's body (rejected, revoked is not counted here). */
  public void registerRefused(String reason) {
    Counter.builder("portal_bridge_registers_refused").description("bridge register frames refused, by reason")
      .tag("reason", reason).register(registry).increment();
  }

  /** A socket that stopped reading and was cut off. */
  public void slowConsumerClosed() {
    Counter.builder("portal_bridge_slow_consumers_closed").description("sockets closed for not reading their frames")
      .register(registry).increment();
  }

  /** Events whose transaction committed on this node (each command's outbox signal). */
  public void eventCommitted() {
    Counter.builder("portal_events_committed").description("domain events committed by this node's commands")
      .register(registry).increment();
  }

  /** Events the sequencer of this node published; {@code again}: after a failover, from the published cursor. */
  public void eventsPublished(int n, boolean again) {
    if (n <= 0) return;
    Counter.builder("portal_events_published").description("numbered events published on the bus by this node")
      .tag("kind", again ? "republished" : "first").register(registry).increment(n);
  }

  /** Time from an event's commit to its publication in number order. */
  public void publishLag(Duration lag) {
    Timer.builder("portal_events_publish_lag").description("from an event's commit to its publication")
      .publishPercentiles(0.5, 0.99).register(registry).record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /** Time from an event's write to its delivery to this node's sockets; the latest is kept for the admins' panel. */
  public void deliveryLag(Duration lag) {
    Duration d = lag.isNegative() ? Duration.ZERO : lag;
    lastDeliveryLagMs = d.toMillis();
    Timer.builder("portal_events_delivery_lag").description("from an event's write to its delivery on this node")
      .register(registry).record(d);
  }

  public long lastDeliveryLagMs() {
    return lastDeliveryLagMs;
  }

  /** Events this node's bridge read from the event log because they did not arrive on the bus (a gap). */
  public void eventsRelayed(int n) {
    if (n <= 0) return;
    Counter.builder("portal_events_relayed").description("events read from the log to fill a gap on the bus")
      .register(registry).increment(n);
  }

  /** One notification fan-out batch: how many recipients. */
  public void fanout(int recipients) {
    DistributionSummary.builder("portal_notification_fanout_size")
      .description("recipients of one notification fan-out batch").register(registry).record(recipients);
  }

  /** An idempotent POST answered from its stored first answer. */
  public void idempotentReplay() {
    Counter.builder("portal_idempotent_replays").description("POSTs answered again from their Idempotency-Key")
      .register(registry).increment();
  }

  /** A sign-in answered: {@code outcome} is ok, failed (401), throttled (429) or busy (503). */
  public void signIn(String outcome) {
    Counter.builder("portal_signins").description("sign-in attempts by outcome").tag("outcome", outcome)
      .register(registry).increment();
  }

  /** A bus request that failed, by address and the portal's numeric failure code (docs/bus.md). */
  public void busFailure(String address, int code) {
    Counter.builder("portal_bus_request_failures").description("failed event-bus requests by address and code")
      .tag("address", address).tag("code", Integer.toString(code)).register(registry).increment();
  }
}
