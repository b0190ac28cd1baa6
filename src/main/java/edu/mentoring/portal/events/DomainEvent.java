package edu.mentoring.portal.events;

import edu.mentoring.portal.common.Actor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.List;

import static edu.mentoring.portal.common.Times.utc;

/**
 * A domain event as a command appends it to the event log ({@link Outbox}): what happened, who did it, to what, the rooms it is for,
 * and the notifications it causes ({@code [{"userId", "title", "body"}]}).
 */
public record DomainEvent(String type, Actor actor, String targetType, long targetId, JsonObject data,
                          List<String> rooms, JsonArray notifications) {

  public DomainEvent {
    if (rooms == null || rooms.isEmpty()) throw new IllegalArgumentException("an event must be for some room");
    notifications = notifications == null ? new JsonArray() : notifications;
    data = data == null ? new JsonObject() : data;
  }

  /** The contract's event envelope. */
  public static JsonObject envelope(long id, String type, Long actorId, String actorRole, String actorName,
                                    String targetType, long targetId, JsonObject data, OffsetDateTime occurredAt) {
    JsonObject actor = actorId == null ? null
      : new JsonObject().put("id", actorId).put("role", actorRole).put("name", actorName);
    return new JsonObject()
      .put("id", id)
      .put("type", type)
      .put("occurredAt", utc(occurredAt))
      .put("actor", actor)
      .put("target", new JsonObject().put("type", targetType).put("id", targetId))
      .put("data", data == null ? new JsonObject() : data);
  }
}
