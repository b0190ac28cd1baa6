package edu.mentoring.portal.notifications;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns each user's notifications: listing, read marks, deletion. */
public class NotificationStore extends VerticleBase {
  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
