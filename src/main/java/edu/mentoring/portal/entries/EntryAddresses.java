package edu.mentoring.portal.entries;

/** Event-bus addresses served by {@link EntryStore}; message shapes and rules in docs/entries.md. */
public final class EntryAddresses {
  /** body {@code {title, content, focusStack?}} → entry (a student's draft). */
  public static final String CREATE = "entries.create";
  /** params {@code status?, studentId?, limit?, before?} → {@code {items: [entry]}} newest first. */
  public static final String LIST = "entries.list";
  /** params {@code id} → entry. */
  public static final String GET = "entries.get";
  /** params {@code id}, body any of {@code {title, content, focusStack}} → entry (owner, while editable). */
  public static final String UPDATE = "entries.update";
  /** params {@code id}, body {@code {status}} → entry (the workflow of {@link EntryWorkflow}). */
  public static final String CHANGE_STATUS = "entries.changeStatus";
  /** params {@code id}, body {@code {body}} → comment (the entry's mentors, admins). */
  public static final String ADD_COMMENT = "entries.comments.add";
  /** params {@code id} → {@code {items: [comment]}} oldest first. */
  public static final String LIST_COMMENTS = "entries.comments.list";

  private EntryAddresses() {
  }
}
