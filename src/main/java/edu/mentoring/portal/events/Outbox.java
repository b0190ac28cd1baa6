package edu.mentoring.portal.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.HashMap;
import java.util.Map;

/**
 * Appends an event to the outbox inside the command's transaction: the change and its event commit together or
 * not at all. The EventSequencer numbers and publishes it after commit.
 */
public final class Outbox {
  static final String APPEND = """
    INSERT INTO event_outbox (event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms, notify)
    VALUES (#{type}, #{actorId}, #{actorRole}, (SELECT name FROM users WHERE id = #{actorId}),
            #{targetType}, #{targetId}, #{data}, #{rooms}, #{notify})""";

  private Outbox() {
  }

  /** After the command's commit: wakes this node's sequencer now rather than at its next sweep. */
  public static void committed(Vertx vertx) {
    vertx.eventBus().publish(FeedAddresses.OUTBOX_WRITTEN, null, new DeliveryOptions().setLocalOnly(true));
  }

  public static Future<Void> append(SqlClient conn, DomainEvent event) {
    Map<String, Object> p = new HashMap<>();
    p.put("type", event.type());
    p.put("actorId", event.actor() == null ? null : event.actor().userIdOrNull());
    p.put("actorRole", event.actor() == null ? null : event.actor().role().wire());
    p.put("targetType", event.targetType());
    p.put("targetId", event.targetId());
    p.put("data", event.data());
    p.put("rooms", event.rooms().toArray(new String[0]));
    p.put("notify", event.notifications());
    return SqlTemplate.forUpdate(conn, APPEND).execute(p).mapEmpty();
  }
}
