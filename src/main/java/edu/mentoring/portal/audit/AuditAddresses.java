package edu.mentoring.portal.audit;

/** Event-bus addresses served by {@link AuditLog}. */
public final class AuditAddresses {
  /**
   * Fire-and-forget record of something outside any command transaction (sign-in, failed sign-in, denied access):
   * {@code {entityType, entityId?, action, actor?: {id, role}, detail?: {...}}}.
   */
  public static final String RECORD = "audit.record";
  /** {@code {actor, params: {entityType?, entityId?, action?, limit?, before?}}} → {@code {items, nextBefore}}. */
  public static final String LIST = "audit.list";

  private AuditAddresses() {
  }
}
