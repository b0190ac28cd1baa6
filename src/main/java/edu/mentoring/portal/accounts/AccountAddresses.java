package edu.mentoring.portal.accounts;

/** Event-bus addresses served by {@link AccountStore}; message shapes in docs/bus.md. */
public final class AccountAddresses {
  public static final String REGISTER = "accounts.register";
  public static final String LOGIN = "accounts.login";
  public static final String ME = "accounts.me";
  public static final String CREATE_USER = "accounts.users.create";
  public static final String LIST_STUDENTS = "accounts.students.list";
  /** Every mentor, for an admin's choices (extension: {@code GET /api/mentors}). */
  public static final String LIST_MENTORS = "accounts.mentors.list";
  public static final String ASSIGN_MENTOR = "accounts.students.assignMentor";
  public static final String ASSIGN_COHORT = "accounts.students.assignCohort";
  public static final String CREATE_COHORT = "accounts.cohorts.create";
  public static final String LIST_COHORTS = "accounts.cohorts.list";
  /** Cohort invitations (InvitationStore): {@code POST|GET /api/cohorts/{id}/invitations}, {@code DELETE /api/invitations/{id}}. */
  public static final String CREATE_INVITATION = "accounts.invitations.create";
  public static final String LIST_INVITATIONS = "accounts.invitations.list";
  public static final String REVOKE_INVITATION = "accounts.invitations.revoke";
  /** {@code {body: {email, password, name}}}: creates that admin unless an admin exists (start-up). */
  public static final String ENSURE_ADMIN = "accounts.ensureAdmin";
  /** {@code {}} → {@code {users: n}}: whether the database is still empty (demo seed). */
  public static final String COUNT = "accounts.count";
  /** The rooms a user may join right now: {@code {body: {userId}}} → {@code {role, rooms: [...]}} (RoomBridge). */
  public static final String ROOM_GRANTS = "accounts.roomGrants";
  /**
   * The same for many users in one question: {@code {body: {userIds: [...]}}} (at most {@code MAX_GRANTS_BATCH}) →
   * {@code {grants: [{userId, role, all, rooms}, ...]}}, users that do not exist left out (RoomBridge's GrantChecks).
   */
  public static final String ROOM_GRANTS_MANY = "accounts.roomGrantsMany";
  public static final int MAX_GRANTS_BATCH = 500;

  private AccountAddresses() {
  }
}
