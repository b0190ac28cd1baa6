package edu.mentoring.portal.realtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The five room types of the contract, the only addresses a browser may register, and {@link #CLUSTER}, the admins'
 * view of the nodes (an extension: docs/realtime.md; no grant lists it, so only admins may join it).
 */
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

  /** The nodes' {@code cluster:node} messages, for the admins' cluster panel. */
  public static final String CLUSTER = "ops:cluster";

  /** {@code [type, key]} of a well-formed room address, or null. */
  public static String[] parse(String address) {
    if (address == null) return null;
    if (CLUSTER.equals(address)) return new String[]{"ops", "cluster"};
    Matcher m = ROOM.matcher(address);
    if (!m.matches()) return null;
    return m.group(1) != null ? new String[]{m.group(1), m.group(2)} : new String[]{m.group(3), m.group(4)};
  }
}
