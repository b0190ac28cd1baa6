package edu.mentoring.portal.accounts;

/** Event-bus addresses served by {@link UserAdmin}; message shapes in docs/bus.md. */
public final class UserAdminAddresses {
  /** {@code params: {role?, q?, status?, limit?, before?}} → {@code {items: [user], nextBefore?}} (admin). */
  public static final String LIST = "accounts.users.list";
  /** {@code params: {id}, body: {active}} → user (admin). */
  public static final String SET_ACTIVE = "accounts.users.setActive";
  /** {@code params: {id}} → {@code {path, expiresAt}}: a one-time link to set a new password (admin). */
  public static final String RESET_LINK = "accounts.users.resetLink";
  /** {@code body: {token, password}} → {@code {user}} (public; the HTTP layer adds a JWT). */
  public static final String RESET_PASSWORD = "accounts.passwords.reset";
  /** Published after a commit: {@code {userId, active}}; every node updates {@link Deactivated} and its sockets. */
  public static final String ACTIVE_CHANGED = "accounts.activeChanged";

  private UserAdminAddresses() {
  }
}
