package edu.mentoring.portal.audit;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.operations.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.templates.RowMapper;
import io.vertx.sqlclient.templates.SqlTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static edu.mentoring.portal.common.Times.utc;

/**
 * Owns reading the audit trail, and records what happens outside a command's transaction: sign-ins, failed
 * sign-ins, refused access. Rows are append-only (database triggers refuse UPDATE, DELETE and TRUNCATE).
 */
public class AuditLog extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  static final String LIST = """
    SELECT id, entity_type, entity_id, action, actor_id, actor_role, old_value, new_value, detail, request_id,
      created_at
    FROM audit_logs
    WHERE (#{entityType}::text IS NULL OR entity_type = #{entityType})
      AND (#{entityId}::bigint IS NULL OR entity_id = #{entityId})
      AND (#{action}::text IS NULL OR action = #{action})
      AND (#{actorId}::bigint IS NULL OR actor_id = #{actorId})
      AND (#{from}::timestamptz IS NULL OR created_at >= #{from})
      AND (#{to}::timestamptz IS NULL OR created_at < #{to})
      AND (#{before}::bigint IS NULL OR id < #{before})
    ORDER BY id DESC
    LIMIT #{limit}""";

  /** The names of a page's actors, in one query: the trail keeps ids, a reader wants people. */
  static final String NAMES = "SELECT id, name FROM users WHERE id = ANY(#{ids})";

  static final RowMapper<JsonObject> ROW = row -> new JsonObject()
    .put("id", row.getLong("id"))
    .put("entityType", row.getString("entity_type"))
    .put("entityId", row.getLong("entity_id"))
    .put("action", row.getString("action"))
    .put("actorId", row.getLong("actor_id"))
    .put("actorRole", row.getString("actor_role"))
    .put("oldValue", row.getJsonObject("old_value"))
    .put("newValue", row.getJsonObject("new_value"))
    .put("detail", row.getJsonObject("detail"))
    .put("requestId", row.getString("request_id"))
    .put("createdAt", utc(row, "created_at"));

  private Pool pool;
  /** Records not yet written: stop() waits for them so a shutdown loses no sign-in or refusal. */
  private final java.util.Set<Future<Void>> pending = new java.util.HashSet<>();

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    return Future.all(
      vertx.eventBus().<JsonObject>consumer(AuditAddresses.RECORD, this::record).completion(),
      Bus.serve(vertx, AuditAddresses.LIST, Map.of(), this::list).completion());
  }

  private void record(Message<JsonObject> msg) {
    RequestIds.set(msg.headers().get(RequestIds.BUS_HEADER));
    JsonObject r = msg.body();
    Actor actor;
    try {
      actor = r.getJsonObject("actor") == null ? null : Actor.fromJson(r.getJsonObject("actor"));
    } catch (RuntimeException e) {
      actor = null;
    }
    Future<Void> write = AuditTrail.record(pool, actor, r.getString("entityType", "unknown"), r.getLong("entityId"),
        r.getString("action", "unknown"), null, null, r.getJsonObject("detail"))
      .onFailure(t -> LOG.error("could not record audit entry {}", r.getString("action"), t));
    pending.add(write);
    write.onComplete(ar -> pending.remove(write));
  }

  @Override
  public Future<?> stop() {
    return Future.join(List.copyOf(pending)).timeout(5, java.util.concurrent.TimeUnit.SECONDS)
      .otherwiseEmpty();
  }

  private Future<JsonObject> list(BusRequest req) {
    Input q = req.query();
    String entityType = q.optionalText("entityType", 50);
    Long entityId = q.optionalId("entityId");
    String action = q.optionalText("action", 50);
    Long actorId = q.optionalId("actorId");
    java.time.OffsetDateTime from = q.time("from", false);
    java.time.OffsetDateTime to = q.time("to", false);
    Long before = q.optionalId("before");
    int limit = q.limit("limit", 50, 200);
    q.validate();
    Map<String, Object> p = new HashMap<>();
    p.put("entityType", entityType);
    p.put("entityId", entityId);
    p.put("action", action);
    p.put("actorId", actorId);
    p.put("from", from);
    p.put("to", to);
    p.put("before", before);
    p.put("limit", Pages.fetch(limit));
    return SqlTemplate.forQuery(pool, LIST).mapTo(ROW).execute(p).map(rows -> Pages.before(rows, limit))
      .compose(this::withActorNames);
  }

  /** Adds {@code actorName} to each entry of the page (null for the system and for unknown ids). */
  private Future<JsonObject> withActorNames(JsonObject page) {
    java.util.Set<Long> ids = new java.util.HashSet<>();
    page.getJsonArray("items").forEach(o -> {
      Long id = ((JsonObject) o).getLong("actorId");
      if (id != null) ids.add(id);
    });
    if (ids.isEmpty()) return Future.succeededFuture(page);
    return SqlTemplate.forQuery(pool, NAMES).execute(Map.of("ids", ids.toArray(new Long[0]))).map(rows -> {
      Map<Long, String> names = new HashMap<>();
      rows.forEach(r -> names.put(r.getLong("id"), r.getString("name")));
      page.getJsonArray("items").forEach(o -> {
        JsonObject item = (JsonObject) o;
        item.put("actorName", names.get(item.getLong("actorId")));
      });
      return page;
    });
  }

}
