package edu.mentoring.portal.http;

import io.vertx.core.http.HttpMethod;

/**
 * One HTTP route of the API: who may call it, which bus address serves it, and the status of a success.
 * The whole API is the table in {@link ApiRoutes}; the OpenAPI document is checked against it.
 */
public record ApiRoute(HttpMethod method, String path, Access access, String address, int status,
                       boolean issuesToken) {

  public static ApiRoute get(String path, Access access, String address) {
    return new ApiRoute(HttpMethod.GET, path, access, address, 200, false);
  }

  public static ApiRoute post(String path, Access access, String address, int status) {
    return new ApiRoute(HttpMethod.POST, path, access, address, status, false);
  }

  public static ApiRoute put(String path, Access access, String address) {
    return new ApiRoute(HttpMethod.PUT, path, access, address, 200, false);
  }

  public static ApiRoute patch(String path, Access access, String address) {
    return new ApiRoute(HttpMethod.PATCH, path, access, address, 200, false);
  }

  public static ApiRoute delete(String path, Access access, String address) {
    return new ApiRoute(HttpMethod.DELETE, path, access, address, 204, false);
  }

  /** The reply's {@code user} is signed in: the response gains {@code token}. */
  public ApiRoute withToken() {
    return new ApiRoute(method, path, access, address, status, true);
  }

  /** The path in Vert.x router syntax ({@code /schedules/:id}); the table uses OpenAPI's {@code {id}}. */
  public String routerPath() {
    return path.replaceAll("\\{([a-zA-Z]+)}", ":$1");
  }
}
