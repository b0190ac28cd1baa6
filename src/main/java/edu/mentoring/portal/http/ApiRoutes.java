package edu.mentoring.portal.http;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.audit.AuditAddresses;
import edu.mentoring.portal.schedules.ScheduleAddresses;

import java.util.List;

import static edu.mentoring.portal.http.Access.ADMIN;
import static edu.mentoring.portal.http.Access.ANY;
import static edu.mentoring.portal.http.Access.MENTOR_OR_ADMIN;
import static edu.mentoring.portal.http.Access.PUBLIC;

/** Every route under {@code /api}, in one table: method, path, access, bus address, success status. */
public final class ApiRoutes {
  public static final List<ApiRoute> ALL = List.of(
    ApiRoute.post("/auth/register", PUBLIC, AccountAddresses.REGISTER, 201).withToken(),
    ApiRoute.post("/auth/login", PUBLIC, AccountAddresses.LOGIN, 200).withToken(),
    ApiRoute.get("/auth/me", ANY, AccountAddresses.ME),

    ApiRoute.post("/users", ADMIN, AccountAddresses.CREATE_USER, 201),
    ApiRoute.get("/students", MENTOR_OR_ADMIN, AccountAddresses.LIST_STUDENTS),
    ApiRoute.put("/students/{id}/mentor", ADMIN, AccountAddresses.ASSIGN_MENTOR),
    ApiRoute.put("/students/{id}/cohort", ADMIN, AccountAddresses.ASSIGN_COHORT),
    ApiRoute.post("/cohorts", ADMIN, AccountAddresses.CREATE_COHORT, 201),
    ApiRoute.get("/cohorts", ANY, AccountAddresses.LIST_COHORTS),

    ApiRoute.post("/schedules", MENTOR_OR_ADMIN, ScheduleAddresses.CREATE, 201),
    ApiRoute.get("/schedules", ANY, ScheduleAddresses.LIST),
    ApiRoute.get("/schedules/{id}", ANY, ScheduleAddresses.GET),

    ApiRoute.get("/audit-logs", ADMIN, AuditAddresses.LIST));

  private ApiRoutes() {
  }
}
