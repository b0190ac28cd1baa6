package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The part of every sink that only counts: {@code err} frames (with a few examples), frames of other types, and
 * connections that ended; and who else wants to know of those (a client that reconnects).
 */
abstract class CountingSink implements EventSink {
  final AtomicInteger errors = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();
  final AtomicInteger other = new AtomicInteger();
  private final List<String> errorExamples = new ArrayList<>();
  private volatile Consumer<ClientSocket> closeListener = s -> { };
  private final Map<String, long[]> frames = new ConcurrentHashMap<>(); // type → {count, bytes, max}

  @Override
  public void onError(ClientSocket socket, String body, String address) {
    errors.incrementAndGet();
    synchronized (errorExamples) {
      if (errorExamples.size() < 5) errorExamples.add(body + " on " + address + " (socket " + socket.index + ")");
    }
  }

  @Override
  public void onOther(ClientSocket socket, long nanos, String type) {
    other.incrementAndGet();
  }

  @Override
  public void onFrame(String type, int bytes) {
    long[] f = frames.computeIfAbsent(String.valueOf(type), t -> new long[3]);
    synchronized (f) {
      f[0]++;
      f[1] += bytes;
      f[2] = Math.max(f[2], bytes);
    }
  }

  /** Frames received by type: how many, their bytes, the largest. */
  JsonObject framesByType() {
    JsonObject j = new JsonObject();
    new TreeMap<>(frames).forEach((t, f) -> {
      synchronized (f) {
        j.put(t, new JsonObject().put("count", f[0]).put("bytes", f[1]).put("maxBytes", f[2]));
      }
    });
    return j;
  }

  @Override
  public void onClosed(ClientSocket socket) {
    closed.incrementAndGet();
    closeListener.accept(socket);
  }

  void onClose(Consumer<ClientSocket> listener) {
    closeListener = listener;
  }

  List<String> errorExamples() {
    synchronized (errorExamples) {
      return List.copyOf(errorExamples);
    }
  }
}
