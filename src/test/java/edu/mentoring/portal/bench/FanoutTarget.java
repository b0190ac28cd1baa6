package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A server measured by the cohort fan-out scenarios: the portal, or a baseline. N student sockets (indices
 * {@code 0..N-1}) and one mentor socket (index N) in one cohort; the mentor creates group sessions over HTTP.
 */
abstract class FanoutTarget implements AutoCloseable {
  protected final BenchRun run;
  protected final List<ClientSocket> sockets = new ArrayList<>();
  protected Http http;
  private AutoCloseable server;
  private LoadClient load;

  FanoutTarget(BenchRun run) {
    this.run = run;
  }

  abstract String name();

  /** Starts the server and creates the accounts (or tokens). */
  abstract void prepare(int students) throws Exception;

  /** Opens and registers every socket; returns the seconds it took to open them. */
  abstract double connect(EventSink sink) throws Exception;

  /** The mentor's token and the cohort's id, for {@link #createGroupSession}. */
  abstract String mentorToken();

  abstract long cohortId();

  abstract long pid();

  /** The server's live heap in bytes (a JVM's class histogram, Node's heap after GC). */
  abstract long heapBytes() throws Exception;

  abstract boolean isJvm();

  /** Whether students get a {@code notification:created} per session (only the portal writes them). */
  abstract boolean notifies();

  abstract JsonObject describe();

  /** The database whose backends' CPU counts as the server's work, or null (a baseline without PostgreSQL). */
  String database() {
    return null;
  }

  /** Between warm-up batches: what users do with what they left behind (the portal's students read their bell). */
  void readBells() {
  }

  /** What confirms a socket's rooms, when the server confirms them (the registration barrier's name). */
  String roomConfirmation() {
    return Registration.CONFIRMED;
  }

  /** The server process (closed with the target), and the HTTP client to it. */
  protected <T extends AutoCloseable> T serve(T process, int port) {
    server = run.closeAtEnd(process);
    http = run.closeAtEnd(new Http(run.vertx(), "127.0.0.1", port, 64));
    return process;
  }

  protected double open(LoadClient client) {
    load = run.closeAtEnd(client);
    return load.openAll(sockets, 128);
  }

  /** The load client's own failures (see {@link LoadClient#problems}). */
  final JsonObject clientProblems() {
    return load == null ? new JsonObject() : load.problems();
  }

  final List<ClientSocket> sockets() {
    return sockets;
  }

  /** POST /api/schedules, a group session for the cohort at {@code slot}; the schedule's id. */
  final Future<Long> createGroupSession(Slots.Slot slot) {
    return http.create("/api/schedules", mentorToken(), slot.groupSession(cohortId()));
  }

  @Override
  public void close() {
    if (load != null) run.closeNow(load);
    if (server != null) run.closeNow(server);
  }
}
