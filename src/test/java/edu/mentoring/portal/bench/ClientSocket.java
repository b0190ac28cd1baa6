package edu.mentoring.portal.bench;

import io.vertx.core.http.WebSocket;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One simulated user's connection: who (its account, or a peer's forged identity), which node, the rooms it joins,
 * and what it observed — the confirmed rooms, and the order of the event ids it received (contract: ids appear in
 * increasing order; an id lower than one already received is what a "highest id seen" client would miss).
 */
final class ClientSocket {
  final int index;
  final Member member;
  final String token;
  final List<String> rooms;
  final int node;
  final Set<String> joined = ConcurrentHashMap.newKeySet();
  final AtomicInteger lowerThanSeen = new AtomicInteger();
  final AtomicInteger connects = new AtomicInteger();
  private volatile long maxId = -1;
  private volatile WebSocket ws;
  private volatile boolean open;

  ClientSocket(int index, Member member, String token, List<String> rooms, int node) {
    this.index = index;
    this.member = member;
    this.token = token;
    this.rooms = List.copyOf(rooms);
    this.node = node;
  }

  /** Called on the socket's own event loop, so the read-then-write is not racy. */
  void sawId(long id) {
    if (id < 0) return;
    long max = maxId;
    if (id < max) lowerThanSeen.incrementAndGet();
    else if (id > max) maxId = id;
  }

  /** Counts order from now on (events before a measurement do not count against it). */
  void resetOrder() {
    lowerThanSeen.set(0);
  }

  long maxId() {
    return maxId;
  }

  WebSocket ws() {
    return ws;
  }

  void attach(WebSocket ws) {
    this.ws = ws;
    this.open = ws != null;
    if (ws != null) connects.incrementAndGet();
  }

  void closed() {
    open = false;
  }

  boolean isOpen() {
    return open;
  }
}
