package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's questions "which rooms may this user join now?": queued here and asked of the account store in batches
 * (one statement for up to {@link AccountAddresses#MAX_GRANTS_BATCH} users), at most {@link #MAX_IN_FLIGHT} batches at a
 * time; a user's registers that wait together share one answer. A burst of sockets (a cohort signing in, a reconnect
 * storm: thousands of sockets × four rooms) would otherwise be thousands of queries overflowing the pool's wait queue,
 * whose refusals are meant for real overload, and read as rooms refused. A question already sent is never shared with
 * a register that arrived after it: every answer was read after its register.
 */
final class GrantChecks {
  static final int MAX_IN_FLIGHT = 2;

  private final Map<Long, Promise<JsonObject>> queued = new ConcurrentHashMap<>();
  private final Queue<Actor> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  /** The rooms {@code who} may join ({@code {userId, role, all, rooms}}), completed on {@code caller}. */
  Future<JsonObject> grants(Vertx vertx, Context caller, Actor who) {
    Promise<JsonObject> fresh = Promise.promise();
    Promise<JsonObject> waiting = queued.putIfAbsent(who.id(), fresh);
    Promise<JsonObject> answer = waiting == null ? fresh : waiting;
    if (waiting == null) {
      order.add(who);
      drain(vertx);
    }
    Promise<JsonObject> here = Promise.promise();
    answer.future().onComplete(ar -> caller.runOnContext(v -> here.handle(ar)));
    return here.future();
  }

  int queuedUsers() {
    return queued.size();
  }

  private void drain(Vertx vertx) {
    while (!order.isEmpty()) {
      int now = inFlight.get();
      if (now >= MAX_IN_FLIGHT) return;
      if (!inFlight.compareAndSet(now, now + 1)) continue;
      // removed before asking: a register arriving from now on asks again, after this read
      Map<Long, Promise<JsonObject>> batch = new HashMap<>();
      Actor who;
      while (batch.size() < AccountAddresses.MAX_GRANTS_BATCH && (who = order.poll()) != null) {
        // the same user again (a register that came in while this batch was being filled): one answer for both;
        // a plain put would drop the first promise and leave its register waiting for ever
        Promise<JsonObject> promise = queued.remove(who.id());
        Promise<JsonObject> first = batch.putIfAbsent(who.id(), promise);
        if (first != null && promise != null) first.future().onComplete(promise);
      }
      if (batch.isEmpty()) {
        inFlight.decrementAndGet();
        continue;
      }
      JsonObject request = BusRequest.message(Actor.SYSTEM, null,
        new JsonObject().put("userIds", new JsonArray(new ArrayList<>(batch.keySet()))));
      Bus.requestLocal(vertx, AccountAddresses.ROOM_GRANTS_MANY, request).onComplete(ar -> {
        inFlight.decrementAndGet();
        if (ar.succeeded()) {
          for (Object o : ar.result().getJsonArray("grants", new JsonArray())) {
            JsonObject g = (JsonObject) o;
            Promise<JsonObject> p = batch.remove(g.getLong("userId"));
            if (p != null) p.complete(g);
          }
          batch.values().forEach(p -> p.fail(PortalException.notFound("user")));
        } else {
          batch.values().forEach(p -> p.fail(ar.cause()));
        }
        drain(vertx);
      });
    }
  }
}
