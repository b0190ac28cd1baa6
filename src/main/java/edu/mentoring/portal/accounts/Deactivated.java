package edu.mentoring.portal.accounts;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * The users an admin deactivated, as this node knows them (a local map of the node's Vert.x): every token check reads
 * it, so a deactivated user's tokens stop on the next request and the next room registration. {@link UserAdmin}
 * loads it before HTTP opens and keeps it current from {@link UserAdminAddresses#ACTIVE_CHANGED}; each node's
 * RoomBridge also marks a change when it reaches it in the event stream.
 */
public final class Deactivated {
  private static final String MAP = "accounts.deactivated";

  private Deactivated() {
  }

  static LocalMap<Long, Boolean> of(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  public static boolean is(Vertx vertx, long userId) {
    return of(vertx).containsKey(userId);
  }

  /** Also called by each node's RoomBridge when it reaches the change in the event stream, before its sockets close. */
  public static void set(Vertx vertx, long userId, boolean deactivated) {
    if (deactivated) of(vertx).put(userId, Boolean.TRUE);
    else of(vertx).remove(userId);
  }
}
