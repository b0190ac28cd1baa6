package edu.mentoring.portal.common;

import java.util.Locale;
import java.util.Optional;

/** The three roles of the contract; the wire name is the lower-case enum name. */
public enum Role {
  ADMIN, MENTOR, STUDENT;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static Optional<Role> parse(String value) {
    if (value == null) return Optional.empty();
    for (Role r : values()) {
      if (r.wire().equals(value)) return Optional.of(r);
    }
    return Optional.empty();
  }
}
