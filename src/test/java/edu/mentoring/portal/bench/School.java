package edu.mentoring.portal.bench;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The school a scenario measures, built through the API ({@link Accounts}): {@code cohorts} cohorts of
 * {@code perCohort} distinct students, each cohort mentored by its own mentor, who is also each of its students'
 * assigned mentor when {@code assignMentor}. Mentors and cohorts come first; students sign up with their cohort's
 * invitation (the portal's default), so each sign-up notifies only that cohort's mentor.
 */
final class School {
  final List<Member> students;
  final List<Member> mentors;
  final List<Long> cohorts;
  final double signUpSeconds;
  final double totalSeconds;
  private final Map<Long, List<Member>> byCohort = new LinkedHashMap<>();
  private final Map<Long, Member> mentorOfCohort = new LinkedHashMap<>();

  private School(List<Member> students, List<Member> mentors, List<Long> cohorts, double signUpSeconds,
                 double totalSeconds) {
    this.students = students;
    this.mentors = mentors;
    this.cohorts = cohorts;
    this.signUpSeconds = signUpSeconds;
    this.totalSeconds = totalSeconds;
    for (int c = 0; c < cohorts.size(); c++) mentorOfCohort.put(cohorts.get(c), mentors.get(c));
    for (Member s : students) byCohort.computeIfAbsent(s.cohortId(), k -> new ArrayList<>()).add(s);
  }

  static School build(Accounts accounts, int cohorts, int perCohort, boolean assignMentor, int concurrency) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    long t0 = System.nanoTime();
    int n = cohorts * perCohort;
    List<Member> mentors = Bounded.all(cohorts, Math.min(concurrency, 16),
      c -> accounts.createMentor("m" + c + "-" + tag + "@bench.test", "Mentor " + c)).await();
    List<Long> cohortIds = Bounded.all(cohorts, Math.min(concurrency, 16),
      c -> accounts.createCohort("Cohort " + c + " " + tag, List.of(mentors.get(c).id()))).await();
    // one invitation per cohort and per MAX_INVITATION_USES students of it
    int perInvitation = Math.max(1, Math.min(perCohort, Accounts.MAX_INVITATION_USES));
    int invitationsPerCohort = (perCohort + perInvitation - 1) / perInvitation;
    List<Accounts.Invitation> invitations = Bounded.all(cohorts * invitationsPerCohort, Math.min(concurrency, 16),
      k -> accounts.invite(cohortIds.get(k / invitationsPerCohort), perInvitation)).await();
    long t1 = System.nanoTime();
    List<Member> placed = Bounded.all(n, concurrency, i -> {
      int c = i / perCohort;
      Accounts.Invitation invitation = invitations.get(c * invitationsPerCohort + (i % perCohort) / perInvitation);
      Future<Member> s = accounts.registerStudent("s" + i + "-" + tag + "@bench.test", "Student " + i, invitation);
      return assignMentor ? s.compose(m -> accounts.assignMentor(m, mentors.get(c).id())) : s;
    }).await();
    double signUp = (System.nanoTime() - t1) / 1e9;
    List<Member> withCohorts = new ArrayList<>();
    for (int c = 0; c < cohorts; c++) withCohorts.add(mentors.get(c).mentoring(cohortIds.get(c)));
    return new School(placed, withCohorts, cohortIds, signUp, (System.nanoTime() - t0) / 1e9);
  }

  List<Member> membersOf(long cohort) {
    return byCohort.getOrDefault(cohort, List.of());
  }

  Member mentorOf(long cohort) {
    return mentorOfCohort.get(cohort);
  }

  /** The contract's "the student's mentors": the assigned mentor and the mentors of the student's cohort. */
  Set<Long> mentorsOf(Member student) {
    Set<Long> m = new LinkedHashSet<>();
    if (student.mentorId() != null) m.add(student.mentorId());
    if (student.cohortId() != null) m.add(mentorOf(student.cohortId()).id());
    return m;
  }

  int size() {
    return students.size() + mentors.size();
  }
}
