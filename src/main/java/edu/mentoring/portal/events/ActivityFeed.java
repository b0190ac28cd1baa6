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
  static final String VISIBLE = "(#{all} OR f.rooms && #{rooms}::text[])";
  /**
   * Numbered events only: an event is in the log, for anyone, from the moment it has its id. Relationship changes
   * are for the browser's rooms (recovery reads them in {@link #EVENTS}), not activity to list.
   */
  static final String ACTIVITY = "SELECT " + EventLog.columns("f") + " FROM activity_feed f WHERE f.id IS NOT NULL AND "
    + "f.event_type <> '" + EventTypes.RELATIONSHIPS_CHANGED + "' AND " + VISIBLE + " AND (#{type}::text IS NULL OR f.event_type = #{type}) AND (#{before}::bigint IS NULL OR f.id < #{before})"
    + " ORDER BY f.id DESC LIMIT #{limit}";
  static final String EVENTS = "SELECT " + EventLog.columns("f") + " FROM activity_feed f WHERE " + VISIBLE
    + " AND f.id > #{after} ORDER BY f.id LIMIT #{limit}";
  static final String RANGE = "SELECT " + EventLog.columns("f") + " FROM activity_feed f"
    + " WHERE f.id > #{after} AND (#{before}::bigint IS NULL OR f.id < #{before}) ORDER BY f.id LIMIT #{limit}";

  static final String HEAD = "SELECT COALESCE(max(id), 0) AS head FROM activity_feed";

  static final RowMapper<JsonObject> EVENT = EventLog::envelope;

  private Pool pool;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    return Future.all(
      Bus.serve(vertx, FeedAddresses.ACTIVITY, Map.of(), this::activity).completion(),
      Bus.serve(vertx, FeedAddresses.EVENTS, Map.of(), this::events).completion(),
      Bus.serve(vertx, FeedAddresses.RANGE, Map.of(), this::range).completion());
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

  /** Every numbered event of an id range, with its rooms: for a bridge that missed some (no caller to filter for). */
  private Future<JsonObject> range(BusRequest req) {
    JsonObject body = req.body();
    Map<String, Object> p = new HashMap<>();
    p.put("after", body.getLong("after", 0L));
    p.put("before", body.getLong("before"));
    p.put("limit", Math.min(body.getInteger("limit", 500), 500));
    Future<JsonObject> items = (int) p.get("limit") <= 0 ? Future.succeededFuture(new JsonObject().put("items", new JsonArray()))
      : SqlTemplate.forQuery(pool, RANGE).mapTo(EventLog::stamped).execute(p).map(Pages::items);
    return items.compose(reply -> pool.query(HEAD).execute()
      .map(rows -> reply.put("head", rows.iterator().next().getLong("head"))));
  }

  /** The rooms the caller may join right now, as query parameters. */
  private Future<Map<String, Object>> visibility(Actor actor) {
    JsonObject request = BusRequest.message(actor, null, new JsonObject().put("userId", actor.id()));
    return Bus.requestLocal(vertx, AccountAddresses.ROOM_GRANTS, request).map(grants -> {
      Map<String, Object> p = new HashMap<>();
      p.put("all", grants.getBoolean("all", false));
      p.put("rooms", grants.getJsonArray("rooms", new JsonArray()).stream().map(Object::toString)
        .toArray(String[]::new));
      return p;
    });
  }
}
