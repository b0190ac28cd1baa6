package edu.mentoring.portal.events;

import edu.mentoring.portal.common.Actor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A domain event as a command writes it to the outbox: what happened, who did it, to what, the rooms it is for,
 * and the notifications it causes ({@code [{"userId", "title", "body"}]}).
 */
public record DomainEvent(String type, Actor actor, String targetType, long targetId, JsonObject data,
                          List<String> rooms, JsonArray notifications) {

  public DomainEvent {
    if (rooms == null || rooms.isEmpty()) throw new IllegalArgumentException("an event must be for some room");
    notifications = notifications == null ? new JsonArray() : notifications;
    data = data == null ? new JsonObject() : data;
  }
}
