package edu.mentoring.portal.http;

import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** webroot/openapi.json describes exactly the routes of {@link ApiRoutes}, and the portal serves it. */
@DisplayName("OpenAPI document: every route of the table, nothing else, served at /openapi.json")
class OpenApiTest {
  private static final Path DOCUMENT = Path.of("webroot", "openapi.json");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  /** Documented routes outside /api, which the route table does not hold. */
  private static final Set<String> OUTSIDE_API = Set.of("GET /health", "GET /health/live", "GET /health/ready",
    "GET /metrics");

  private static JsonObject doc;

  @BeforeAll
  static void load() throws IOException {
    doc = new JsonObject(Files.readString(DOCUMENT));
  }

  private static String key(ApiRoute route) {
    return route.method().name() + " /api" + route.path();
  }

  private static JsonObject operation(ApiRoute route) {
    JsonObject path = doc.getJsonObject("paths").getJsonObject("/api" + route.path());
    return path == null ? null : path.getJsonObject(route.method().name().toLowerCase(Locale.ROOT));
  }

  /** Follows a local {@code $ref} such as {@code #/components/parameters/Id}. */
  private static JsonObject resolve(JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null) return node;
    assertTrue(ref.startsWith("#/"), ref);
    Object at = doc;
    for (String part : ref.substring(2).split("/")) {
      at = at instanceof JsonObject o ? o.getValue(part) : null;
    }
    assertTrue(at instanceof JsonObject, () -> "unresolved " + ref);
    return (JsonObject) at;
  }

  private static List<JsonObject> parameters(JsonObject operation) {
    List<JsonObject> out = new ArrayList<>();
    JsonArray ps = operation.getJsonArray("parameters", new JsonArray());
    for (int i = 0; i < ps.size(); i++) out.add(resolve(ps.getJsonObject(i)));
    return out;
  }

  @Test
  @DisplayName("every route of ApiRoutes.ALL is documented with its method and /api path")
  void everyRouteDocumented() {
    List<String> missing = ApiRoutes.ALL.stream().filter(r -> operation(r) == null).map(OpenApiTest::key).toList();
    assertTrue(missing.isEmpty(), () -> "routes missing from " + DOCUMENT + ": " + missing);
  }

  @Test
  @DisplayName("the document lists no path or method that the route table lacks")
  void nothingExtraDocumented() {
    Set<String> table = ApiRoutes.ALL.stream().map(OpenApiTest::key).collect(Collectors.toSet());
    Set<String> extra = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!METHODS.contains(method)) continue; // summary, parameters, x-...
        String k = method.toUpperCase(Locale.ROOT) + " " + path;
        if (!table.contains(k) && !OUTSIDE_API.contains(k)) extra.add(k);
      }
    }
    assertTrue(extra.isEmpty(), () -> "documented but not in ApiRoutes: " + extra);
  }

  @Test
  @DisplayName("each operation documents the table's success status, its roles, and the contract's error body")
  void statusRolesAndErrors() {
    assertNotNull(doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Error"));
    for (ApiRoute route : ApiRoutes.ALL) {
      JsonObject op = operation(route);
      JsonObject responses = op.getJsonObject("responses");
      assertNotNull(responses.getValue(String.valueOf(route.status())), () -> key(route) + ": no " + route.status());
      for (String status : responses.fieldNames()) {
        if (!status.startsWith("4") && !status.startsWith("5")) continue;
        JsonObject r = resolve(responses.getJsonObject(status));
        String schemaRef = r.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema")
          .getString("$ref");
        assertEquals("#/components/schemas/Error", schemaRef, () -> key(route) + " " + status);
      }
      Set<String> roles = new HashSet<>(op.getJsonArray("x-roles").stream().map(Object::toString).toList());
      Set<String> expected = route.access().authenticated()
        ? route.access().roles().stream().map(Role::wire).collect(Collectors.toSet()) : Set.of("anyone");
      assertEquals(expected, roles, () -> key(route) + " x-roles");
      if (route.access().authenticated()) {
        assertNotNull(responses.getValue("401"), () -> key(route) + ": no 401");
      }
    }
  }

  @Test
  @DisplayName("bearer security is the default; exactly the public routes opt out")
  void security() {
    JsonObject scheme = doc.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearerAuth");
    assertEquals("http", scheme.getString("type"));
    assertEquals("bearer", scheme.getString("scheme"));
    assertEquals(new JsonArray().add(new JsonObject().put("bearerAuth", new JsonArray())), doc.getJsonArray("security"));
    for (ApiRoute route : ApiRoutes.ALL) {
      JsonArray security = operation(route).getJsonArray("security");
      if (route.access().authenticated()) {
        assertTrue(security == null || !security.isEmpty(), () -> key(route) + " must require a token");
      } else {
        assertEquals(new JsonArray(), security, () -> key(route) + " is public");
      }
    }
  }

  @Test
  @DisplayName("every {parameter} of a path is declared, and authenticated POSTs take an Idempotency-Key")
  void parameters() {
    Pattern braces = Pattern.compile("\\{([a-zA-Z]+)}");
    for (ApiRoute route : ApiRoutes.ALL) {
      List<JsonObject> ps = parameters(operation(route));
      Matcher m = braces.matcher(route.path());
      while (m.find()) {
        String name = m.group(1);
        assertTrue(ps.stream().anyMatch(p -> "path".equals(p.getString("in")) && name.equals(p.getString("name"))
          && p.getBoolean("required", false)), () -> key(route) + ": path parameter " + name);
      }
      if (route.method().name().equals("POST") && route.access().authenticated()) {
        assertTrue(ps.stream().anyMatch(p -> "header".equals(p.getString("in"))
          && "Idempotency-Key".equals(p.getString("name"))), () -> key(route) + ": Idempotency-Key");
      }
    }
  }

  @Test
  @DisplayName("a running portal serves the document at GET /openapi.json, and a readable page at /api.html")
  void served() {
    try (TestPortal portal = TestPortal.start()) {
      Api.Response r = portal.api().get("/openapi.json", null);
      assertEquals(200, r.status(), r::toString);
      assertTrue(r.contentType().startsWith("application/json"), r.contentType());
      assertEquals(doc, r.json());
      Api.Response page = portal.api().get("/api.html", null);
      assertEquals(200, page.status());
      assertTrue(page.raw().toString().contains("/openapi.json"));
    }
  }
}
