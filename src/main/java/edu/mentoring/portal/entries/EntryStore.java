package edu.mentoring.portal.entries;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Owns learning entries and the mentors' comments on them. */
public class EntryStore extends VerticleBase {
  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
