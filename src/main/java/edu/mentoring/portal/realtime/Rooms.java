package edu.mentoring.portal.realtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The five room types of the contract, the only addresses a browser may register. */
public final class Rooms {
  public static final Pattern ROOM =
    Pattern.compile("^(?:(role):(admin|mentor|student)|(user|mentor|student|cohort):([1-9][0-9]{0,17}))$");

  private Rooms() {
  }

  public static String user(long id) { return "user:" + id; }

  public static String role(String role) { return "role:" + role; }

  public static String mentor(long id) { return "mentor:" + id; }

  public static String student(long id) { return "student:" + id; }

  public static String cohort(long id) { return "cohort:" + id; }

  /** {@code [type, key]} of a well-formed room address, or null. */
  public static String[] parse(String address) {
    if (address == null) return null;
    Matcher m = ROOM.matcher(address);
    if (!m.matches()) return null;
    return m.group(1) != null ? new String[]{m.group(1), m.group(2)} : new String[]{m.group(3), m.group(4)};
  }
}
