package edu.mentoring.portal.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who must receive what, computed from the contract ("Event types and the rooms they reach") and the sockets that
 * joined each room, never from the server: the rooms of each event type, and the sockets on them; notifications
 * (docs/notifications.md) reach the recipient's {@code user:} room.
 */
final class ContractRooms {
  private final School school;
  private final Map<String, List<Integer>> socketsByRoom = new HashMap<>();

  ContractRooms(School school, Collection<ClientSocket> sockets) {
    this.school = school;
    for (ClientSocket s : sockets) {
      for (String room : s.rooms) socketsByRoom.computeIfAbsent(room, r -> new ArrayList<>()).add(s.index);
    }
  }

  /** Every school member on a socket, students first, each on the rooms the UI joins; socket i on node i % nodes. */
  static List<ClientSocket> socketsOf(School school, int nodes) {
    List<Member> all = new ArrayList<>(school.students);
    all.addAll(school.mentors);
    List<ClientSocket> sockets = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Member m = all.get(i);
      sockets.add(new ClientSocket(i, m, m.token(), m.rooms(), i % nodes));
    }
    return sockets;
  }

  Set<Integer> socketsOn(Collection<String> rooms) {
    Set<Integer> out = new LinkedHashSet<>();
    for (String r : rooms) out.addAll(socketsByRoom.getOrDefault(r, List.of()));
    return out;
  }

  Set<Integer> usersSockets(Collection<Long> userIds) {
    List<String> rooms = userIds.stream().map(id -> "user:" + id).toList();
    return socketsOn(rooms);
  }

  /** entry:created, entry:statusChanged, comment:added → student:{s}, and mentor:{m} for each of their mentors. */
  Set<Integer> ofStudentAndMentors(Member student) {
    List<String> rooms = new ArrayList<>(List.of("student:" + student.id()));
    for (long m : school.mentorsOf(student)) rooms.add("mentor:" + m);
    return socketsOn(rooms);
  }

  /** task:assigned, schedule:created → student:{s} (or cohort:{c}) and mentor:{m} of the one who made it. */
  Set<Integer> ofAudience(Long studentId, Long cohortId, long mentorId) {
    return socketsOn(List.of(studentId != null ? "student:" + studentId : "cohort:" + cohortId, "mentor:" + mentorId));
  }

  /** The members of a cohort (the assignees of a cohort task or group session). */
  List<Long> members(long cohort) {
    return school.membersOf(cohort).stream().map(Member::id).toList();
  }
}
