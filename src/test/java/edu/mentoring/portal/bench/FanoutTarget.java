package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A server measured by the cohort fan-out scenarios: the portal, or a baseline. N student sockets (indices
 * {@code 0..N-1}) and one mentor socket (index N) in one cohort; the mentor creates group sessions over HTTP.
 */
interface FanoutTarget extends AutoCloseable {
  String name();

  /** Starts the server and creates the accounts. */
  void prepare(int students) throws Exception;

  /** Opens and registers every socket; returns the seconds it took to open them. */
  double connect(EventSink sink) throws Exception;

  List<ClientSocket> sockets();

  /** POST /api/schedules, a group session for the cohort at {@code slot}; the schedule's id. */
  Future<Long> createGroupSession(Slots.Slot slot);

  long pid();

  /** The server's live heap in bytes (a JVM's class histogram, Node's heap after GC). */
  long heapBytes() throws Exception;

  boolean isJvm();

  /** Whether students get a {@code notification:created} per session (only the portal writes them). */
  boolean notifies();

  JsonObject describe();

  /** What confirms a socket's rooms, when the server confirms them (the registration barrier's name). */
  default String roomConfirmation() {
    return "room:joined";
  }
}
