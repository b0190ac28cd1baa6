package edu.mentoring.portal.events;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Input;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.templates.RowMapper;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.HashMap;
import java.util.Map;

/**
 * Serves the sequenced event log: {@code GET /api/activity} (newest first) and {@code GET /api/events?after=}
 * (id order, for recovery). A caller sees exactly the events of the rooms they may join now — the same grants the
 * RoomBridge applies to subscriptions — so the feed and the live stream never disagree.
 */
public class ActivityFeed extends VerticleBase {
  static final String VISIBLE = "(#{all} OR rooms && #{rooms}::text[])";
  static final String COLUMNS = "id, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, created_at";
  static final String ACTIVITY = "SELECT " + COLUMNS + " FROM activity_feed WHERE " + VISIBLE
    + " AND (#{type}::text IS NULL OR event_type = #{type}) AND (#{before}::bigint IS NULL OR id < #{before})"
    + " ORDER BY id DESC LIMIT #{limit}";
  static final String EVENTS = "SELECT " + COLUMNS + " FROM activity_feed WHERE " + VISIBLE
    + " AND id > #{after} ORDER BY id LIMIT #{limit}";

  static final RowMapper<JsonObject> EVENT = row -> DomainEvent.envelope(row.getLong("id"),
    row.getString("event_type"), row.getLong("actor_id"), row.getString("actor_role"), row.getString("actor_name"),
    row.getString("target_type"), row.getLong("target_id"), row.getJsonObject("data"),
    row.getOffsetDateTime("created_at"));

  private Pool pool;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    return Future.all(
      Bus.serve(vertx, FeedAddresses.ACTIVITY, Map.of(), this::activity).completion(),
      Bus.serve(vertx, FeedAddresses.EVENTS, Map.of(), this::events).completion());
  }

  private Future<JsonObject> activity(BusRequest req) {
    Input q = req.query();
    String type = q.oneOf("type", EventTypes.DOMAIN, false);
    Long before = q.optionalId("before");
    int limit = q.limit("limit", 50, 200);
    q.validate();
    return visibility(req.actor()).compose(p -> {
      p.put("type", type);
      p.put("before", before);
      p.put("limit", Pages.fetch(limit));
      return SqlTemplate.forQuery(pool, ACTIVITY).mapTo(EVENT).execute(p);
    }).map(rows -> Pages.before(rows, limit));
  }

  private Future<JsonObject> events(BusRequest req) {
    Input q = req.query();
    long after = q.cursor("after", 0);
    int limit = q.limit("limit", 100, 500);
    q.validate();
    return visibility(req.actor()).compose(p -> {
      p.put("after", after);
      p.put("limit", Pages.fetch(limit));
      return SqlTemplate.forQuery(pool, EVENTS).mapTo(EVENT).execute(p);
    }).map(rows -> Pages.after(rows, limit));
  }

  /** The rooms the caller may join right now, as query parameters. */
  private Future<Map<String, Object>> visibility(Actor actor) {
    JsonObject request = BusRequest.message(actor, null, new JsonObject().put("userId", actor.id()));
    return Bus.request(vertx, AccountAddresses.ROOM_GRANTS, request).map(grants -> {
      Map<String, Object> p = new HashMap<>();
      p.put("all", grants.getBoolean("all", false));
      p.put("rooms", grants.getJsonArray("rooms", new JsonArray()).stream().map(Object::toString)
        .toArray(String[]::new));
      return p;
    });
  }
}
