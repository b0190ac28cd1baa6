package edu.mentoring.portal.tasks;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns tasks and each assignee's progress. */
public class TaskStore extends VerticleBase {
  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
