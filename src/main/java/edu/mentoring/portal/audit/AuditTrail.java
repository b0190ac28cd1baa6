package edu.mentoring.portal.audit;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.operations.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.HashMap;
import java.util.Map;

/**
 * Writes one audit row inside the caller's transaction, so a change and its audit row commit together.
 * (Reading the trail, and rows outside any command, belong to the {@link AuditLog} verticle.)
 */
public final class AuditTrail {
  static final String INSERT = """
    INSERT INTO audit_logs (entity_type, entity_id, action, actor_id, actor_role, old_value, new_value, detail,
      request_id)
    VALUES (#{entityType}, #{entityId}, #{action}, #{actorId}, #{actorRole}, #{oldValue}, #{newValue}, #{detail},
      #{requestId})""";

  private AuditTrail() {
  }

  public static Future<Void> record(SqlClient conn, Actor actor, String entityType, Long entityId, String action,
                                    JsonObject oldValue, JsonObject newValue) {
    return record(conn, actor, entityType, entityId, action, oldValue, newValue, null);
  }

  public static Future<Void> record(SqlClient conn, Actor actor, String entityType, Long entityId, String action,
                                    JsonObject oldValue, JsonObject newValue, JsonObject detail) {
    Map<String, Object> p = new HashMap<>();
    p.put("entityType", entityType);
    p.put("entityId", entityId);
    p.put("action", action);
    p.put("actorId", actor == null ? null : actor.userIdOrNull());
    p.put("actorRole", actor == null ? null : actor.role().wire());
    p.put("oldValue", oldValue);
    p.put("newValue", newValue);
    p.put("detail", detail);
    // the HTTP request this change was made for (X-Request-Id), carried here over the bus: logs and row meet
    p.put("requestId", RequestIds.current());
    return SqlTemplate.forUpdate(conn, INSERT).execute(p).mapEmpty();
  }
}
