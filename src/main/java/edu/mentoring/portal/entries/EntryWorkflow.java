package edu.mentoring.portal.entries;

import edu.mentoring.portal.common.PortalException;

import java.util.List;
import java.util.Map;

/**
 * The status workflow of a learning entry (docs/entries.md): which moves exist and who may make each.
 * Any move not listed here, or made by the wrong party, is {@code illegal_transition}.
 */
final class EntryWorkflow {
  static final String DRAFT = "draft";
  static final String SUBMITTED = "submitted";
  static final String IN_REVIEW = "in_review";
  static final String APPROVED = "approved";
  static final String NEEDS_REVISION = "needs_revision";
  static final List<String> STATUSES = List.of(DRAFT, SUBMITTED, IN_REVIEW, APPROVED, NEEDS_REVISION);

  /** Statuses in which the owner may still edit title, content and focusStack. */
  static final List<String> EDITABLE = List.of(DRAFT, NEEDS_REVISION);

  /** Who stands where to an entry: its student, or a reviewer (one of the student's mentors, or an admin). */
  enum Party { OWNER, REVIEWER }

  private static final Map<String, Map<String, Party>> MOVES = Map.of(
    DRAFT, Map.of(SUBMITTED, Party.OWNER),
    NEEDS_REVISION, Map.of(SUBMITTED, Party.OWNER),
    SUBMITTED, Map.of(IN_REVIEW, Party.REVIEWER, APPROVED, Party.REVIEWER, NEEDS_REVISION, Party.REVIEWER),
    IN_REVIEW, Map.of(APPROVED, Party.REVIEWER, NEEDS_REVISION, Party.REVIEWER));

  private EntryWorkflow() {
  }

  /** Throws {@code illegal_transition} unless {@code party} may move an entry from {@code from} to {@code to}. */
  static void check(String from, String to, Party party) {
    Party allowed = MOVES.getOrDefault(from, Map.of()).get(to);
    if (allowed == null) {
      throw PortalException.illegalTransition("an entry cannot move from " + from + " to " + to);
    }
    if (allowed != party) {
      throw PortalException.illegalTransition(allowed == Party.OWNER
        ? "only the student who wrote the entry may move it from " + from + " to " + to
        : "only the student's mentor may move an entry from " + from + " to " + to);
    }
  }
}
