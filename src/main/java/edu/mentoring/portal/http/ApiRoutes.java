package edu.mentoring.portal.http;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.accounts.UserAdminAddresses;
import edu.mentoring.portal.audit.AuditAddresses;
import edu.mentoring.portal.entries.EntryAddresses;
import edu.mentoring.portal.events.FeedAddresses;
import edu.mentoring.portal.metrics.MetricsAddresses;
import edu.mentoring.portal.notifications.NotificationAddresses;
import edu.mentoring.portal.schedules.ScheduleAddresses;
import edu.mentoring.portal.tasks.TaskAddresses;

import java.util.List;

import static edu.mentoring.portal.http.Access.ADMIN;
import static edu.mentoring.portal.http.Access.ANY;
import static edu.mentoring.portal.http.Access.MENTOR_OR_ADMIN;
import static edu.mentoring.portal.http.Access.PUBLIC;
import static edu.mentoring.portal.http.Access.STUDENT;

/**
 * Every route under {@code /api}, in one table: method, path, who (by role), bus address, success status.
 * Relationship checks (whose entry, which mentor) are the stores' business; roles are checked only here.
 */
public final class ApiRoutes {
  public static final List<ApiRoute> ALL = List.of(
    ApiRoute.post("/auth/register", PUBLIC, AccountAddresses.REGISTER, 201).withToken(),
    ApiRoute.post("/auth/login", PUBLIC, AccountAddresses.LOGIN, 200).withToken(),
    ApiRoute.get("/auth/me", ANY, AccountAddresses.ME),
    ApiRoute.post("/auth/password-reset", PUBLIC, UserAdminAddresses.RESET_PASSWORD, 200).withToken(),

    ApiRoute.post("/users", ADMIN, AccountAddresses.CREATE_USER, 201),
    ApiRoute.get("/users", ADMIN, UserAdminAddresses.LIST),
    ApiRoute.put("/users/{id}/active", ADMIN, UserAdminAddresses.SET_ACTIVE),
    ApiRoute.post("/users/{id}/password-reset", ADMIN, UserAdminAddresses.RESET_LINK, 201),
    ApiRoute.get("/students", MENTOR_OR_ADMIN, AccountAddresses.LIST_STUDENTS),
    ApiRoute.get("/mentors", ADMIN, AccountAddresses.LIST_MENTORS),
    ApiRoute.put("/students/{id}/mentor", ADMIN, AccountAddresses.ASSIGN_MENTOR),
    ApiRoute.put("/students/{id}/cohort", ADMIN, AccountAddresses.ASSIGN_COHORT),
    ApiRoute.post("/cohorts", ADMIN, AccountAddresses.CREATE_COHORT, 201),
    ApiRoute.get("/cohorts", ANY, AccountAddresses.LIST_COHORTS),
    ApiRoute.post("/cohorts/{id}/invitations", MENTOR_OR_ADMIN, AccountAddresses.CREATE_INVITATION, 201),
    ApiRoute.get("/cohorts/{id}/invitations", MENTOR_OR_ADMIN, AccountAddresses.LIST_INVITATIONS),
    ApiRoute.delete("/invitations/{id}", MENTOR_OR_ADMIN, AccountAddresses.REVOKE_INVITATION),

    ApiRoute.post("/entries", STUDENT, EntryAddresses.CREATE, 201),
    ApiRoute.get("/entries", ANY, EntryAddresses.LIST),
    ApiRoute.get("/entries/{id}", ANY, EntryAddresses.GET),
    ApiRoute.put("/entries/{id}", STUDENT, EntryAddresses.UPDATE),
    ApiRoute.patch("/entries/{id}/status", ANY, EntryAddresses.CHANGE_STATUS),
    ApiRoute.post("/entries/{id}/comments", ANY, EntryAddresses.ADD_COMMENT, 201),
    ApiRoute.get("/entries/{id}/comments", ANY, EntryAddresses.LIST_COMMENTS),

    ApiRoute.post("/tasks", MENTOR_OR_ADMIN, TaskAddresses.CREATE, 201),
    ApiRoute.get("/tasks", ANY, TaskAddresses.LIST),
    ApiRoute.patch("/tasks/{id}/status", ANY, TaskAddresses.CHANGE_STATUS),

    ApiRoute.post("/schedules", MENTOR_OR_ADMIN, ScheduleAddresses.CREATE, 201),
    ApiRoute.get("/schedules", ANY, ScheduleAddresses.LIST),
    ApiRoute.get("/schedules/{id}", ANY, ScheduleAddresses.GET),
    ApiRoute.put("/schedules/{id}", MENTOR_OR_ADMIN, ScheduleAddresses.UPDATE),
    ApiRoute.patch("/schedules/{id}/status", ANY, ScheduleAddresses.CHANGE_STATUS),
    ApiRoute.put("/schedules/{id}/attendance", ANY, ScheduleAddresses.MARK_ATTENDANCE),
    ApiRoute.delete("/schedules/{id}", MENTOR_OR_ADMIN, ScheduleAddresses.DELETE),

    ApiRoute.get("/notifications", ANY, NotificationAddresses.LIST),
    ApiRoute.post("/notifications/read-all", ANY, NotificationAddresses.READ_ALL, 200),
    ApiRoute.post("/notifications/{id}/read", ANY, NotificationAddresses.READ, 200),
    ApiRoute.delete("/notifications/{id}", ANY, NotificationAddresses.DELETE),
    ApiRoute.delete("/notifications", ANY, NotificationAddresses.CLEAR),

    ApiRoute.get("/activity", ANY, FeedAddresses.ACTIVITY),
    ApiRoute.get("/events", ANY, FeedAddresses.EVENTS),
    ApiRoute.get("/metrics/dashboard", MENTOR_OR_ADMIN, MetricsAddresses.DASHBOARD),
    ApiRoute.get("/audit-logs", ADMIN, AuditAddresses.LIST));

  private ApiRoutes() {
  }
}
