package edu.mentoring.portal.http;

import edu.mentoring.portal.common.Role;

import java.util.EnumSet;
import java.util.Set;

/** Who may call a route: the one place roles are enforced (relationships are the stores' business). */
public record Access(boolean authenticated, Set<Role> roles) {
  public static final Access PUBLIC = new Access(false, EnumSet.allOf(Role.class));
  public static final Access ANY = new Access(true, EnumSet.allOf(Role.class));
  public static final Access ADMIN = roles(Role.ADMIN);
  public static final Access MENTOR_OR_ADMIN = roles(Role.MENTOR, Role.ADMIN);
  public static final Access STUDENT = roles(Role.STUDENT);

  public static Access roles(Role first, Role... rest) {
    return new Access(true, EnumSet.of(first, rest));
  }

  public boolean allows(Role role) {
    return roles.contains(role);
  }
}
