package edu.mentoring.portal.operations;

/**
 * Whether this node is draining (SIGTERM): from that moment readiness answers 503, new sockets are refused and the
 * open ones are told to reconnect elsewhere. Shared by the HTTP instances, the health probe and the node.
 */
public final class NodeState {
  private volatile boolean draining;
  private volatile long drainingSince;

  public boolean draining() {
    return draining;
  }

  /** Milliseconds (System.currentTimeMillis) when draining began, or 0. */
  public long drainingSince() {
    return drainingSince;
  }

  public void startDraining() {
    if (draining) return;
    drainingSince = System.currentTimeMillis();
    draining = true;
  }
}
