package edu.mentoring.portal.entries;

/** Event-bus addresses served by {@link EntryStore}; message shapes in docs/bus.md. */
public final class EntryAddresses {
  public static final String CREATE = "entries.create";
  public static final String LIST = "entries.list";
  public static final String GET = "entries.get";
  public static final String UPDATE = "entries.update";
  public static final String CHANGE_STATUS = "entries.changeStatus";
  public static final String ADD_COMMENT = "entries.comments.add";
  public static final String LIST_COMMENTS = "entries.comments.list";

  private EntryAddresses() {
  }
}
